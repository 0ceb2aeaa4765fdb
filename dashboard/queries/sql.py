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
3. It runs on a fresh read-only connection to the serving file with external access off
   (no file, no network), extensions not auto-loaded, search path ``marts`` and the
   configuration locked; wrapped as ``SELECT * FROM (<query>) LIMIT n + 1`` (the wrapped
   text is checked again), and interrupted by a timer after the time limit.
"""

import json
import threading
import time
from dataclasses import dataclass

import duckdb
import pandas as pd

from dashboard.queries import query, serving_path

ROW_LIMIT = 10_000
TIME_LIMIT_SECONDS = 30
MEMORY_LIMIT = "2GB"
SCHEMA = "marts"

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
    """The query ran longer than the time limit and was interrupted."""


@dataclass
class Result:
    frame: pd.DataFrame
    truncated: bool  # more rows than the limit: only the first ROW_LIMIT are in frame
    seconds: float


@dataclass(frozen=True)
class Catalog:
    """What a table reference may resolve to on the serving connection."""
    database: str
    marts_tables: frozenset[str]
    other_names: frozenset[str]  # tables and views outside marts (system views too)


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


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(serving_path()), read_only=True, config={
        "enable_external_access": False,
        "autoload_known_extensions": False,
        "autoinstall_known_extensions": False,
    })
    con.execute(f"SET search_path = '{SCHEMA}'")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET lock_configuration = true")
    return con


def _catalog(con) -> Catalog:
    database = con.execute("SELECT current_database()").fetchall()[0][0]
    rows = con.execute("""
        SELECT lower(table_name), schema_name = ? FROM duckdb_tables()
        UNION ALL
        SELECT lower(view_name), schema_name = ? FROM duckdb_views()""", [SCHEMA, SCHEMA]).fetchall()
    return Catalog(database, frozenset(n for n, marts in rows if marts),
                   frozenset(n for n, marts in rows if not marts))


def wrap(body: str, row_limit: int) -> str:
    """The query limited to row_limit + 1 rows (the extra row tells that rows were cut)."""
    return f"SELECT * FROM (\n{body}\n) AS kedjan_query LIMIT {int(row_limit) + 1}"


def run(sql: str, row_limit: int | None = None, time_limit: float | None = None) -> Result:
    """Run one read query over marts; raises Refused, TimedOut or duckdb.Error.

    The limits default to ROW_LIMIT and TIME_LIMIT_SECONDS (read at call time)."""
    row_limit = ROW_LIMIT if row_limit is None else row_limit
    time_limit = TIME_LIMIT_SECONDS if time_limit is None else time_limit
    if not serving_path().exists():
        raise Refused("sql_refused_no_warehouse")
    with _connect() as con:
        catalog = _catalog(con)
        wrapped = wrap(check(sql, catalog), row_limit)
        check(wrapped, catalog)
        timer = threading.Timer(time_limit, con.interrupt)
        started = time.perf_counter()
        timer.start()
        try:
            frame = con.execute(wrapped).df()
        except duckdb.InterruptException:
            raise TimedOut() from None
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
    truncated = len(frame) > row_limit
    return Result(frame.head(row_limit), truncated, seconds)


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
