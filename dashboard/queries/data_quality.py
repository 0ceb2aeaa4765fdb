"""Queries of the Datakvalitet page."""

import pandas as pd

from dashboard.queries import query


def load_log() -> pd.DataFrame | None:
    return query("""
        SELECT load_id, started_at, file, kind, status, rows_read, rows_loaded, rows_merged,
               rows_quarantined, error, warnings, replaces
        FROM ops.load_log ORDER BY load_id DESC""")


def quarantine_by_reason() -> pd.DataFrame | None:
    return query("""
        SELECT file, raw_table, column_name, reason, count(*) AS rows
        FROM ops.quarantine GROUP BY ALL ORDER BY rows DESC, file""")


def quarantined_rows(reason: str) -> pd.DataFrame | None:
    return query("""
        SELECT file, row_number, column_name, reason, value, detail
        FROM ops.quarantine WHERE reason = ? ORDER BY file, row_number LIMIT 1000""", (reason,))


def freshness() -> pd.DataFrame | None:
    return query("""
        SELECT kind, max(export_date) AS latest_export, max(finished_at) AS latest_load,
               count(*) AS files
        FROM ops.load_log WHERE status = 'loaded' GROUP BY kind ORDER BY kind""")
