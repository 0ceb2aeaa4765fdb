"""Queries of the SQL page: the analyst's read-only SQL over the marts schema.

A statement is checked before it runs, and refused unless it is one read query over
marts only (access.md, "Bad input and attack surface"):

1. DuckDB's own parser splits the text (``extract_statements``): exactly one statement,
   of type SELECT (which includes WITH, FROM-first, VALUES, DESCRIBE and SUMMARIZE). A
   write, ATTACH/DETACH, INSTALL/LOAD, PRAGMA, SET/RESET/USE, COPY, EXPORT/IMPORT or any
   other kind is refused with a message naming the kind.
2. ``json_serialize_sql`` gives the parse tree, which is walked for every table
   reference: a base table must be in schema ``marts`` (or be a CTE of the query, or an
   unqualified marts table); table functions are refused (they read files, run SQL text
   or list other schemas) except a few generators; a scalar function that reads files or
   the environment is refused.
3. It runs in a child process (dashboard/queries/sql_worker.py) on a read-only connection
   to the serving file with external access off (no file, no network), extensions not
   auto-loaded, search path ``marts``, DuckDB's memory limit, no spilling to disk and the
   configuration locked, under an address-space limit; wrapped as
   ``SELECT * FROM (<query>) LIMIT n + 1`` (the wrapped text is checked again). The rows
   come back as Arrow batches, read until the row limit or the byte limit, and the child
   is killed after the time limit.
4. DuckDB's error messages are shown without anything that names an object outside
   marts (its "Did you mean" suggestions search every schema).
"""

import json
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.queries import query, serving_path, sql_worker

ROW_LIMIT = 10_000
BYTE_LIMIT_MB = 50  # Arrow bytes of the rows read; more is cut like rows over ROW_LIMIT
TIME_LIMIT_SECONDS = 30
MEMORY_LIMIT = "2GB"  # DuckDB's memory_limit in the worker
# The worker's address space: Python, DuckDB and Arrow take about 1 GB of it before a
# query starts; the rest leaves room above MEMORY_LIMIT for what DuckDB does not count.
PROCESS_MEMORY_BYTES = 4 * 2**30
BATCH_BYTES = 2**20  # the worker sends batches of about this size (at least one row)
SCHEMA = sql_worker.SCHEMA
WORKER = sql_worker.__file__

# Statement kinds and the message (a label key of labels/sql.py) they are refused with.
_T = duckdb.StatementType
REFUSED_KINDS = {
    _T.INSERT: "sql_refused_write", _T.UPDATE: "sql_refused_write",
    _T.DELETE: "sql_refused_write", _T.CREATE: "sql_refused_write",
    _T.CREATE_FUNC: "sql_refused_write", _T.DROP: "sql_refused_write",
    _T.ALTER: "sql_refused_write", _T.MERGE_INTO: "sql_refused_write",
    _T.ANALYZE: "sql_refused_write", _T.VACUUM: "sql_refused_write",
    _T.ATTACH: "sql_refused_attach", _T.DETACH: "sql_refused_attach",
    _T.LOAD: "sql_refused_extension", _T.EXTENSION: "sql_refused_extension",
    _T.PRAGMA: "sql_refused_pragma",
    _T.SET: "sql_refused_set", _T.VARIABLE_SET: "sql_refused_set",
    _T.COPY: "sql_refused_copy", _T.COPY_DATABASE: "sql_refused_copy",
    _T.EXPORT: "sql_refused_export",
}
# Table functions that only generate values; every other one is refused.
ALLOWED_TABLE_FUNCTIONS = {"range", "generate_series", "unnest"}
# Functions that read files (as a table or a scalar function).
FILE_FUNCTION_PREFIXES = ("read_", "parquet_", "iceberg_", "delta_", "sniff_", "glob")
FILE_FUNCTIONS = {"glob", "read_text", "read_blob", "sniff_csv", "parquet_scan",
                  "csv_scan", "json_scan", "st_read"}
# Scalar functions refused anywhere in a query.
REFUSED_FUNCTIONS = {"getenv", "current_setting", "query", "query_table",
                     "json_execute_serialized_sql", "which_secret"}


class Refused(Exception):
    """A statement the SQL page does not run: ``key`` names the message, ``detail`` is
    shown beside it (a statement kind, a table or function name, a parser error)."""

    def __init__(self, key: str, detail: str = ""):
        super().__init__(f"{key}: {detail}")
        self.key = key
        self.detail = detail


class TimedOut(Exception):
    """The query ran longer than the time limit and was stopped."""


class Failed(Exception):
    """The query ran and failed: ``key`` names the message (labels/sql.py), ``detail`` is
    DuckDB's message reworded to name nothing outside marts (empty when none is shown)."""

    def __init__(self, key: str, detail: str = ""):
        super().__init__(f"{key}: {detail}")
        self.key = key
        self.detail = detail


@dataclass
class Result:
    frame: pd.DataFrame
    truncated: bool  # more rows than the limit: only the first ROW_LIMIT are in frame
    seconds: float
    cut: bool = False  # more bytes than BYTE_LIMIT_MB: only the rows that fit are in frame


@dataclass(frozen=True)
class Catalog:
    """What a table reference may resolve to on the serving connection."""
    database: str
    marts_tables: frozenset[str]
    other_names: frozenset[str]  # tables and views outside marts (system views too)
    other_schemas: frozenset[str] = frozenset()  # schemas and databases other than marts


def _statement(sql: str) -> str:
    """The single SELECT statement in ``sql``, without a trailing semicolon."""
    if not sql or not sql.strip():
        raise Refused("sql_refused_empty")
    with duckdb.connect() as parser:
        try:
            statements = parser.extract_statements(sql)
        except duckdb.Error as error:
            raise Refused("sql_refused_syntax", str(error).splitlines()[0]) from None
    if not statements:
        raise Refused("sql_refused_empty")
    if len(statements) > 1:
        raise Refused("sql_refused_multiple", str(len(statements)))
    statement = statements[0]
    if statement.type != _T.SELECT:
        first_word = statement.query.strip().split(None, 1)[0].upper() if statement.query.strip() else ""
        if first_word == "IMPORT":
            raise Refused("sql_refused_write", "IMPORT")
        raise Refused(REFUSED_KINDS.get(statement.type, "sql_refused_not_select"),
                      first_word or statement.type.name)
    body = statement.query.strip()
    while body.endswith(";"):
        body = body[:-1].rstrip()
    return body


def _tree(sql: str) -> dict:
    with duckdb.connect() as parser:
        tree = json.loads(parser.execute("SELECT json_serialize_sql(?)", [sql]).fetchall()[0][0])
    if tree.get("error"):
        raise Refused("sql_refused_not_select", tree.get("error_message", ""))
    if len(tree.get("statements", [])) != 1:
        raise Refused("sql_refused_multiple", str(len(tree.get("statements", []))))
    return tree


def _function_refusal(name: str) -> str | None:
    name = name.lower()
    if name in FILE_FUNCTIONS or name.startswith(FILE_FUNCTION_PREFIXES) or name.endswith("_scan"):
        return "sql_refused_file"
    if name in REFUSED_FUNCTIONS:
        return "sql_refused_function"
    return None


def _walk(node, ctes: frozenset[str], catalog: Catalog) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, ctes, catalog)
        return
    if not isinstance(node, dict):
        return
    cte_map = node.get("cte_map")
    if isinstance(cte_map, dict) and cte_map.get("map"):
        ctes = ctes | {entry["key"].lower() for entry in cte_map["map"]}
    kind = node.get("type")
    if kind == "BASE_TABLE":
        _check_table(node, ctes, catalog)
    elif kind == "TABLE_FUNCTION":
        name = (node.get("function") or {}).get("function_name", "").lower()
        if name not in ALLOWED_TABLE_FUNCTIONS:
            raise Refused(_function_refusal(name) or "sql_refused_table_function", name)
    elif kind == "SHOW_REF" and node.get("query") is None:
        # SHOW TABLES / SHOW ALL TABLES list every schema
        raise Refused("sql_refused_schema", f"SHOW {node.get('table_name', '')}".strip())
    if node.get("class") == "FUNCTION":
        key = _function_refusal(node.get("function_name", ""))
        if key:
            raise Refused(key, node.get("function_name", ""))
    for value in node.values():
        if isinstance(value, (dict, list)):
            _walk(value, ctes, catalog)


def _check_table(node: dict, ctes: frozenset[str], catalog: Catalog) -> None:
    schema = node.get("schema_name", "").lower()
    name = node.get("table_name", "")
    database = node.get("catalog_name", "").lower()
    qualified = ".".join(p for p in (node.get("catalog_name", ""), node.get("schema_name", ""), name) if p)
    if database and database != catalog.database.lower():
        raise Refused("sql_refused_schema", qualified)
    if schema:
        if schema != SCHEMA:
            raise Refused("sql_refused_schema", qualified)
        return
    lowered = name.lower()
    if lowered in catalog.marts_tables:
        return  # resolves to marts.<name> (search path marts)
    if lowered in ctes and lowered not in catalog.other_names:
        return
    if any(c in name for c in "./\\:*?") or lowered.startswith(("http", "s3")):
        raise Refused("sql_refused_file", name)
    raise Refused("sql_refused_schema", name)


def check(sql: str, catalog: Catalog) -> str:
    """The query body to run, or Refused with the reason."""
    body = _statement(sql)
    _walk(_tree(body), frozenset(), catalog)
    return body


def _catalog(con) -> Catalog:
    database = con.execute("SELECT current_database()").fetchall()[0][0]
    rows = con.execute("""
        SELECT lower(table_name), schema_name = ? FROM duckdb_tables()
        UNION ALL
        SELECT lower(view_name), schema_name = ? FROM duckdb_views()""", [SCHEMA, SCHEMA]).fetchall()
    schemas = con.execute("""
        SELECT lower(schema_name) FROM duckdb_schemas() WHERE schema_name <> ?
        UNION SELECT lower(database_name) FROM duckdb_databases() WHERE database_name <> ?""",
                          [SCHEMA, database]).fetchall()
    return Catalog(database, frozenset(n for n, marts in rows if marts),
                   frozenset(n for n, marts in rows if not marts),
                   frozenset(n for (n,) in schemas))


def wrap(body: str, row_limit: int) -> str:
    """The query limited to row_limit + 1 rows (the extra row tells that rows were cut)."""
    return f"SELECT * FROM (\n{body}\n) AS kedjan_query LIMIT {int(row_limit) + 1}"


# DuckDB's hint after a failed name lookup, on the line after the error; it searches
# every schema, marts or not.
_HINT = re.compile(r"^(Did you mean|Candidate \w+:)", re.IGNORECASE)
_WORD = re.compile(r"[a-z_][a-z0-9_$]*")
_SYSTEM_NAMES = frozenset({"main", "information_schema", "pg_catalog", "temp", "system"})
_NAME_ERRORS = {"CatalogException", "BinderException"}
_MEMORY_ERRORS = {"OutOfMemoryException", "MemoryError", "ArrowMemoryError"}


def reworded(kind: str, message: str, sql: str, catalog: Catalog) -> Failed:
    """DuckDB's failure as shown to the analyst: the first line of its message and its
    hint, without the hint if it names a schema, table or view outside marts or a system
    function (duckdb_*, pragma_*), and a plain message instead when the first line still
    names one. Names the analyst wrote in the query are not secret and are kept."""
    if kind in _MEMORY_ERRORS or "out of memory" in message.lower():
        return Failed("sql_out_of_memory")
    own = set(_WORD.findall(sql.lower()))
    outside = catalog.other_names | catalog.other_schemas | _SYSTEM_NAMES

    def names_outside(text: str) -> bool:
        words = set(_WORD.findall(text.lower())) - own
        return bool(words & outside) or any(w.startswith(("duckdb_", "pragma_")) for w in words)

    lines = [line.strip() for line in message.strip().splitlines()] or [""]
    hints = [line for line in lines[1:] if _HINT.match(line)]
    for candidate in (" ".join(lines[:1] + hints[:1]), lines[0]):
        if candidate and not names_outside(candidate):
            return Failed("sql_failed", candidate)
    return Failed("sql_failed_name" if kind in _NAME_ERRORS else "sql_failed_other")


def _rows(proc: subprocess.Popen, row_limit: int, byte_limit: int) -> tuple[pa.Table, bool, bool]:
    """The worker's rows up to row_limit + 1 rows and byte_limit bytes, whether the bytes
    were cut (the batch that would pass the limit is dropped) and whether the stream was
    read to its end."""
    stream = pa.ipc.open_stream(proc.stdout)
    batches, rows, size = [], 0, 0
    for batch in stream:
        if size + batch.nbytes > byte_limit:
            return pa.Table.from_batches(batches, stream.schema), True, False
        batches.append(batch)
        rows += batch.num_rows
        size += batch.nbytes
        if rows > row_limit:
            return pa.Table.from_batches(batches, stream.schema), False, False
    return pa.Table.from_batches(batches, stream.schema), False, True


def _failure(errors: bytes) -> dict:
    """The worker's report of its failure; none (killed by the system, or a crash) is
    taken as running out of memory, the one way a query takes the worker down."""
    lines = errors.decode(errors="replace").strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, ValueError):
        return {"kind": "OutOfMemoryException", "message": ""}


# Integers stay integers when a column has NULLs (pandas would make 42 a float, 42.0).
_INTEGERS = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
             pa.int64(): pd.Int64Dtype(), pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype(),
             pa.uint32(): pd.UInt32Dtype(), pa.uint64(): pd.UInt64Dtype()}


def run(sql: str, row_limit: int | None = None, time_limit: float | None = None) -> Result:
    """Run one read query over marts; raises Refused, TimedOut or Failed.

    The limits default to ROW_LIMIT, BYTE_LIMIT_MB, TIME_LIMIT_SECONDS, MEMORY_LIMIT and
    PROCESS_MEMORY_BYTES (read at call time)."""
    row_limit = ROW_LIMIT if row_limit is None else row_limit
    time_limit = TIME_LIMIT_SECONDS if time_limit is None else time_limit
    if not serving_path().exists():
        raise Refused("sql_refused_no_warehouse")
    with sql_worker.connect(str(serving_path()), MEMORY_LIMIT) as con:
        catalog = _catalog(con)
    wrapped = wrap(check(sql, catalog), row_limit)
    check(wrapped, catalog)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, WORKER], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        proc.kill()

    timer = threading.Timer(time_limit, stop)
    timer.start()
    try:
        proc.stdin.write(json.dumps({
            "path": str(serving_path()), "sql": wrapped, "memory_limit": MEMORY_LIMIT,
            "address_space": PROCESS_MEMORY_BYTES, "batch_bytes": BATCH_BYTES}).encode() + b"\n")
        proc.stdin.close()
        try:
            table, cut, done = _rows(proc, row_limit, BYTE_LIMIT_MB * 10**6)
        except (pa.ArrowException, OSError):  # the worker failed: its report tells why
            table, cut, done = None, False, True
        if not done:
            proc.kill()  # it has sent enough: the rest is not computed
        errors = proc.stderr.read()
        proc.wait()
    finally:
        timer.cancel()
    seconds = time.perf_counter() - started
    if timed_out.is_set():
        raise TimedOut()
    if table is None or (done and proc.returncode != 0):
        failure = _failure(errors)
        raise reworded(failure["kind"], failure["message"], sql, catalog)
    frame = table.to_pandas(types_mapper=_INTEGERS.get)
    truncated = len(frame) > row_limit
    return Result(frame.head(row_limit), truncated, seconds, cut)


def marts_tables() -> pd.DataFrame | None:
    """The schema browser: marts tables with their descriptions."""
    return query("""
        SELECT table_name, comment AS description, estimated_size AS rows
        FROM duckdb_tables() WHERE schema_name = ? ORDER BY table_name""", (SCHEMA,))


def marts_columns() -> pd.DataFrame | None:
    return query("""
        SELECT table_name, column_name, data_type, comment AS description
        FROM duckdb_columns() WHERE schema_name = ? ORDER BY table_name, column_index""",
                 (SCHEMA,))
