"""The archive of published KPI rows: every figure as it was published (issue 11).

It lives in the serving file, schema ``archive``, and is carried over from the previous
serving file at every publish, as the refresh history is: a publish appends, never
replaces. A refresh that fails, or finds nothing new, republishes the previous serving
file as it was (``history.record``), so it adds nothing; the warehouse is not involved.

* ``archive.kpi_publishes``: one row per publish: ``publish_number`` (1, 2, ... in the
  order of publishing), ``run_id``, ``published_at``,
  ``rows_run_id`` (the publish whose row set holds its KPI rows), ``through_load_id`` (the
  newest file load the published data was built from: files loaded later are news to
  it) and ``kpi_rows`` (how many rows it published).
* ``archive.kpi_rows``: the row sets, ``rows_run_id`` and the columns of
  ``marts.fct_kpi_monthly``. A publish whose KPI rows equal those of the publish before it
  (every column, numbers to ``settings.FIGURE_DECIMALS`` decimals) adds no row set: its
  ``rows_run_id`` names the earlier one. So the archive grows by one row set per publish
  that changed a figure, and by one row per publish.
"""

from pathlib import Path

import duckdb

import settings

PUBLISHES_DDL = ("CREATE TABLE archive.kpi_publishes (publish_number BIGINT, run_id VARCHAR, "
                 "published_at TIMESTAMP, rows_run_id VARCHAR, through_load_id BIGINT, "
                 "kpi_rows BIGINT)")


def keep(serving_build: Path, serving: Path, run_id: str, published_at: str) -> None:
    """The archive in ``serving_build`` (a serving file being derived): that of the
    published ``serving`` file plus this publish of ``marts.fct_kpi_monthly``."""
    with duckdb.connect(str(serving_build)) as con:
        columns = con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'marts' "
            "AND table_name = 'fct_kpi_monthly' ORDER BY column_index").fetchall()
        con.execute("CREATE SCHEMA archive")
        con.execute(PUBLISHES_DDL)
        con.execute("CREATE TABLE archive.kpi_rows AS SELECT NULL::VARCHAR AS rows_run_id, * "
                    "FROM marts.fct_kpi_monthly LIMIT 0")
        if serving.exists():
            con.execute("ATTACH ? AS previous (READ_ONLY)", [str(serving)])
            kept = {name for (name,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = 'previous' "
                "AND schema_name = 'archive' AND table_name = 'kpi_rows'").fetchall()}
            if kept:
                # Columns a later release dropped are left behind; new ones stay empty.
                common = ", ".join(f'"{c}"' for c in ["rows_run_id", *(n for n, _ in columns)]
                                   if c in kept)
                con.execute(f"INSERT INTO archive.kpi_rows ({common}) "
                            f"SELECT {common} FROM previous.archive.kpi_rows")
                con.execute("INSERT INTO archive.kpi_publishes BY NAME "
                            "SELECT * FROM previous.archive.kpi_publishes")
            con.execute("DETACH previous")
        last = con.execute("SELECT rows_run_id FROM archive.kpi_publishes "
                           "ORDER BY publish_number DESC LIMIT 1").fetchall()
        rows_run_id = last[0][0] if last and _same_rows(con, columns, last[0][0]) else run_id
        if rows_run_id == run_id:
            con.execute("INSERT INTO archive.kpi_rows SELECT ?, * FROM marts.fct_kpi_monthly",
                        [run_id])
        con.execute("""
            INSERT INTO archive.kpi_publishes
            SELECT (SELECT coalesce(max(publish_number), 0) + 1 FROM archive.kpi_publishes),
                   ?, ?, ?, (SELECT max(load_id) FROM ops.load_log),
                   (SELECT count(*) FROM marts.fct_kpi_monthly)""",
                    [run_id, published_at, rows_run_id])


def _same_rows(con, columns: list[tuple[str, str]], rows_run_id: str) -> bool:
    """Whether the row set ``rows_run_id`` equals marts.fct_kpi_monthly, row for row."""
    shown = ", ".join(f'round("{name}", {settings.FIGURE_DECIMALS})'
                      if kind in ("DOUBLE", "FLOAT") else f'"{name}"' for name, kind in columns)
    archived = f"SELECT {shown} FROM archive.kpi_rows WHERE rows_run_id = $1"
    current = f"SELECT {shown} FROM marts.fct_kpi_monthly"
    differing = con.execute(f"SELECT count(*) FROM (({archived} EXCEPT ALL {current}) "
                            f"UNION ALL ({current} EXCEPT ALL {archived}))",
                            [rows_run_id]).fetchall()[0][0]
    return differing == 0
