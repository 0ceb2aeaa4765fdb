"""Publishing: derive the serving file from a build, and replace a published file atomically."""

import os
from pathlib import Path

import duckdb

# Tables for the data steward's page only: never in marts, which analysts query.
OPS_TABLES = {"load_log": "raw.load_log", "quarantine": "raw.quarantine",
              "entry_hub_visitor_conflicts": "intermediate.int_entry_hub_visitor_conflicts_listed",
              "project_sources": "intermediate.int_project_sources_covered"}


def derive_serving(build: Path, serving_build: Path) -> None:
    """The serving file: every mart with its descriptions and the operational tables
    (``refresh.history`` adds the refresh history)."""
    with duckdb.connect(str(serving_build)) as con:
        con.execute("ATTACH ? AS build (READ_ONLY)", [str(build)])
        con.execute("CREATE SCHEMA marts")
        con.execute("CREATE SCHEMA ops")
        marts = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'build' "
                            "AND schema_name = 'marts' UNION SELECT view_name FROM duckdb_views() "
                            "WHERE database_name = 'build' AND schema_name = 'marts'").fetchall()
        for (name,) in marts:
            con.execute(f'CREATE TABLE marts."{name}" AS SELECT * FROM build.marts."{name}"')
        _copy_comments(con)
        for name, source in OPS_TABLES.items():
            con.execute(f"CREATE TABLE ops.{name} AS SELECT * FROM build.{source}")


def _copy_comments(con) -> None:
    """Table and column descriptions (dbt persist_docs) for the schema browser."""
    for table, comment in con.execute(
            "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = 'build' "
            "AND schema_name = 'marts' AND comment IS NOT NULL").fetchall():
        con.execute(f'COMMENT ON TABLE marts."{table}" IS {_literal(comment)}')
    for table, column, comment in con.execute(
            "SELECT table_name, column_name, comment FROM duckdb_columns() "
            "WHERE database_name = 'build' AND schema_name = 'marts' AND comment IS NOT NULL"
            ).fetchall():
        con.execute(f'COMMENT ON COLUMN marts."{table}"."{column}" IS {_literal(comment)}')


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def publish(built: Path, target: Path) -> None:
    """Replace ``target`` with ``built`` in one step, durably."""
    with built.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(built, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
