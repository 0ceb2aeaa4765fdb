"""Runs one analyst query (already checked by dashboard/queries/sql.py) in a child process.

Why a child process: DuckDB computes 2,048 rows at a time and its memory_limit does not
count everything (the text of a vector of huge strings is not counted), so
``SELECT repeat('x', 50000000) FROM range(20)`` takes a gigabyte whatever the limit. In a
child with an address-space limit such a query fails with an out-of-memory error instead
of taking the dashboard down; the dashboard reads only as many rows as its byte budget
allows and then kills the child, so the rest is never computed.

Protocol: one JSON line on stdin (path, sql, memory_limit, address_space, batch_bytes);
an Arrow IPC stream of the rows on stdout; on failure one JSON line on stderr (the
DuckDB exception's class name and message) and exit status 1. Imports nothing of the
dashboard, so it starts quickly and does not depend on the working directory.
"""

import json
import resource
import sys

import duckdb
import pyarrow as pa

SCHEMA = "marts"
BATCH_ROWS = 1024
# Types shown as DuckDB writes them as text: Arrow, pandas or Streamlit cannot show every
# other type (unions, 128-bit integers, infinite dates, time zones of TIMETZ …), and
# DuckDB's own text is exact and readable ([1, 2], {'a': 1}, 1 day 02:00:00, \xAA).
NATIVE_TYPES = {"boolean", "tinyint", "smallint", "integer", "bigint", "utinyint", "usmallint",
                "uinteger", "ubigint", "float", "double", "varchar"}


def connect(path: str, memory_limit: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection with no file or network access, no extension loading, no
    spilling to disk (temp_directory empty: a query over the memory limit fails rather
    than writing beside the warehouse), search path marts, the configuration locked."""
    con = duckdb.connect(path, read_only=True, config={
        "enable_external_access": False,
        "autoload_known_extensions": False,
        "autoinstall_known_extensions": False,
        "memory_limit": memory_limit,
        "temp_directory": "",
    })
    con.execute(f"SET search_path = '{SCHEMA}'")
    con.execute("SET lock_configuration = true")
    return con


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def displayable(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """``sql`` with every column of a type outside NATIVE_TYPES cast to VARCHAR."""
    rel = con.sql(sql)
    columns = [quote(name) if str(kind.id) in NATIVE_TYPES
               else f"CAST({quote(name)} AS VARCHAR) AS {quote(name)}"
               for name, kind in zip(rel.columns, rel.types)]
    return f"SELECT {', '.join(columns)} FROM (\n{sql}\n) AS kedjan_result"


def pieces(batch: pa.RecordBatch, batch_bytes: int):
    """The batch in slices of about batch_bytes (at least one row each), so the reader
    never holds much more than its budget."""
    rows = max(1, int(batch.num_rows * batch_bytes / max(batch.nbytes, 1)))
    for start in range(0, batch.num_rows, rows):
        yield batch.slice(start, rows)


def main() -> int:
    request = json.loads(sys.stdin.readline())
    limit = int(request["address_space"])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        with connect(request["path"], request["memory_limit"]) as con:
            reader = con.sql(displayable(con, request["sql"])).to_arrow_reader(BATCH_ROWS)
            with pa.ipc.new_stream(sys.stdout.buffer, reader.schema) as out:
                for batch in reader:
                    for piece in pieces(batch, int(request["batch_bytes"])):
                        out.write_batch(piece)
    except BrokenPipeError:
        return 0  # the dashboard has read enough
    except Exception as error:  # noqa: BLE001 - every failure is reported, not raised
        sys.stderr.write(json.dumps({"kind": type(error).__name__, "message": str(error)}) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
