"""Queries of the Datakvalitet page."""

from pathlib import Path

import pandas as pd

import settings
from dashboard.queries import query


def _has(table: str, column: str | None = None) -> bool:
    """Whether the serving file has ops.<table> (and its ``column``): one published by an
    earlier release may lack what a later one adds, until the next refresh."""
    found = query("""
        SELECT count(*) AS n FROM duckdb_columns()
        WHERE schema_name = 'ops' AND table_name = ? AND (? IS NULL OR column_name = ?)""",
                  (table, column, column))
    return found is not None and bool(found["n"].iloc[0])


def load_log() -> pd.DataFrame | None:
    uploaded = ("uploaded_by, uploaded_at" if _has("load_log", "uploaded_by")
                else "NULL AS uploaded_by, NULL AS uploaded_at")
    return query(f"""
        SELECT load_id, started_at, file, kind, status, rows_read, rows_loaded, rows_merged,
               rows_quarantined, {uploaded}, error, warnings, replaces
        FROM ops.load_log ORDER BY load_id DESC""")


def quarantine_by_reason() -> pd.DataFrame | None:
    return query("""
        SELECT file, raw_table, column_name, reason, count(*) AS rows
        FROM ops.quarantine GROUP BY ALL ORDER BY rows DESC, file""")


def quarantine_loads() -> pd.DataFrame | None:
    """Loads with quarantined rows, newest first: load id, file, rows quarantined."""
    return query("""
        SELECT load_id, file, count(DISTINCT (raw_table, row_number)) AS rows
        FROM ops.quarantine GROUP BY load_id, file ORDER BY load_id DESC""")


# The quarantine table on the page shows at most this many problems (the full list of a
# file is its download "to the sender").
SHOWN_ROWS = 1000


def quarantined_rows(load_id: int | None, reason: str | None) -> tuple[pd.DataFrame | None, int]:
    """The first SHOWN_ROWS problems of one load and/or reason (None = all), and how many
    there are in all."""
    where = "(? IS NULL OR load_id = ?) AND (? IS NULL OR reason = ?)"
    params = (load_id, load_id, reason, reason)
    rows = query(f"""
        SELECT file, row_number, column_name, reason, value, detail FROM ops.quarantine
        WHERE {where} ORDER BY load_id DESC, raw_table, row_number LIMIT {SHOWN_ROWS}""", params)
    total = query(f"SELECT count(*) AS n FROM ops.quarantine WHERE {where}", params)
    return rows, int(total["n"].iloc[0]) if total is not None else 0


def quarantine_of_load(load_id: int) -> pd.DataFrame | None:
    """Every problem of one load, in file order: for the list "to the sender"."""
    return query("""
        SELECT raw_table, row_number, column_name, reason, value, detail FROM ops.quarantine
        WHERE load_id = ? ORDER BY raw_table, row_number""", (load_id,))


def entry_hub_visitor_conflicts() -> pd.DataFrame | None:
    """Entry Hub visitor ids carrying two or more personnummer (projects.md): counts and
    dates, never the numbers or their keys. None in a serving file published before the
    list existed (the next refresh adds it)."""
    present = query("""
        SELECT count(*) AS n FROM duckdb_tables()
        WHERE schema_name = 'ops' AND table_name = 'entry_hub_visitor_conflicts'""")
    if present is None or not present["n"].iloc[0]:
        return None
    return query("""
        SELECT visitor_id AS besokar_id, personnummer_count, visit_count,
               visits_without_personnummer, first_visit_date, last_visit_date
        FROM ops.entry_hub_visitor_conflicts
        ORDER BY personnummer_count DESC, besokar_id""")


def missing_sources() -> pd.DataFrame | None:
    """Per project, the file kinds its KPIs need that delivered nothing for its period, and
    the KPIs that therefore show "no data delivered" (fct_kpi_status at each project's
    latest month)."""
    return query("""
        WITH latest AS (
            SELECT project_id, max(month) AS month FROM marts.fct_kpi_status GROUP BY project_id)
        SELECT status.project_id, trim(source.record_source) AS file_kind,
               string_agg(kpi.name_sv, ', ' ORDER BY kpi.sort_order, kpi.kpi_id) AS kpis_sv,
               string_agg(kpi.name_en, ', ' ORDER BY kpi.sort_order, kpi.kpi_id) AS kpis_en
        FROM marts.fct_kpi_status AS status
        JOIN latest USING (project_id, month)
        JOIN marts.dim_kpi AS kpi USING (kpi_id)
        CROSS JOIN unnest(string_split(status.missing_sources, ',')) AS source(record_source)
        WHERE status.gender = 'all' AND status.status = 'no_data'
        GROUP BY ALL ORDER BY status.project_id, file_kind""")


def refresh_history() -> pd.DataFrame | None:
    return query("""
        SELECT started_at, finished_at, result, failed_stage, message, files_loaded,
               files_unchanged, files_rejected, rows_read, rows_loaded, rows_merged,
               rows_quarantined, CAST(checks_failed AS VARCHAR) AS checks_failed
        FROM ops.refresh_history ORDER BY started_at DESC""")


def stage_seconds() -> pd.DataFrame | None:
    """Seconds per stage of each refresh (recorded since the history kept them)."""
    return query("""
        SELECT started_at, stage, CAST(seconds AS DOUBLE) AS seconds
        FROM (SELECT started_at, unnest(json_keys(stage_seconds)) AS stage, stage_seconds
              FROM ops.refresh_history WHERE stage_seconds IS NOT NULL)
        CROSS JOIN LATERAL (SELECT stage_seconds ->> stage AS seconds)
        ORDER BY started_at DESC""")


def validation_checks() -> pd.DataFrame | None:
    """The checks of the newest validation: failed first, critical before warning."""
    return query("""
        WITH latest AS (
            SELECT results FROM ops.validation_results ORDER BY run_id DESC LIMIT 1),
        checks AS (SELECT unnest(from_json(results -> 'checks',
            '[{"suite": "VARCHAR", "table": "VARCHAR", "expectation": "VARCHAR",
               "column": "VARCHAR", "severity": "VARCHAR", "success": "BOOLEAN",
               "unexpected_count": "BIGINT", "details": "VARCHAR", "status": "VARCHAR"}]'))
            AS c FROM latest)
        SELECT c.severity, c.status, c."table", c."column", c.expectation, c.unexpected_count,
               c.details
        FROM checks
        ORDER BY c.success, c.severity = 'warning', c."table", c."column" """)


# A source is stale when its newest file is this much older than the newest file of the
# whole delivery: the other sources have moved on without it. Only a source of a project
# still running at that date can be stale: an ended project's files have stopped, rightly.
STALE_AFTER_DAYS = 45


def freshness() -> pd.DataFrame | None:
    """Per file kind: its newest export and load, files, the projects still running that it
    serves (ops.project_sources; all when a serving file predates it) and whether it is
    stale."""
    running = """
        SELECT record_source AS kind,
               string_agg(DISTINCT project_id, ', ' ORDER BY project_id) AS running_projects
        FROM ops.project_sources JOIN marts.dim_project USING (project_id), newest
        WHERE start_date <= newest.export_date
          AND (end_date IS NULL OR end_date >= newest.export_date)
        GROUP BY record_source""" if _has("project_sources") else """
        SELECT kind, '?' AS running_projects FROM per_kind"""
    return query(f"""
        WITH per_kind AS (
            SELECT kind, max(export_date) AS latest_export, max(finished_at) AS latest_load,
                   count(*) AS files
            FROM ops.load_log WHERE status = 'loaded' GROUP BY kind),
        newest AS (SELECT max(latest_export) AS export_date FROM per_kind),
        running AS ({running})
        SELECT kind, latest_export, latest_load, files, running_projects,
               coalesce(newest.export_date - latest_export > {STALE_AFTER_DAYS}
                        AND running_projects IS NOT NULL, false) AS stale
        FROM per_kind LEFT JOIN running USING (kind), newest ORDER BY kind""")


def data_docs_pages() -> list[Path]:
    """The validation result pages of Great Expectations' Data Docs, newest run first.

    Read from disk by the server: the folder is not served over HTTP, so only the data
    steward's page shows it. The index is left out: its table is drawn by scripts from
    public CDNs, which data_docs_html does not let load.
    """
    docs = settings.data_docs(settings.warehouse())
    # validations/<schema>/<table>/<run name>/<run time>/<context>-<suite>.html
    pages = sorted((docs / "validations").rglob("*.html"))
    pages.sort(key=lambda page: page.parent.name, reverse=True)
    return pages


# Data Docs load jQuery, Bootstrap and Vega from public CDNs. In the app a page runs in an
# iframe with the app's origin, so nothing from outside may load or run there: no script,
# no remote file, only inline styles (the Data Docs' own stylesheet is inlined).
NOTHING_REMOTE = ('<meta http-equiv="Content-Security-Policy" '
                  "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")


def data_docs_html(page: Path) -> str | None:
    """A Data Docs page to show in an iframe, or None if a refresh replaced it meanwhile."""
    docs = settings.data_docs(settings.warehouse())
    try:
        html = page.read_text(encoding="utf-8")
        css = (docs / "static" / "styles" / "data_docs_default_styles.css").read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return html.replace("<head>", f"<head>{NOTHING_REMOTE}<style>{css}</style>", 1)
