"""Queries of the Leverans page: what the load log knows of uploaded files, and the refresh
history the page shows progress and results from."""

import json

import pandas as pd

from dashboard.queries import query


def loads_of(files: list[str]) -> pd.DataFrame | None:
    """Earlier loads of files with these names (any content), newest first."""
    return query("""
        SELECT file, file_sha256, load_id, status, finished_at
        FROM ops.load_log WHERE list_contains(?, file) ORDER BY load_id DESC""", (files,))


def last_stage_seconds() -> dict[str, float]:
    """Seconds per stage of the newest published refresh: what the next one may take."""
    rows = query("""
        SELECT CAST(stage_seconds AS VARCHAR) AS seconds FROM ops.refresh_history
        WHERE result = 'published' AND stage_seconds IS NOT NULL
        ORDER BY finished_at DESC LIMIT 1""")
    if rows is None or rows.empty:
        return {}
    return json.loads(rows["seconds"].iloc[0])


def refresh_since(started_at: str) -> pd.DataFrame | None:
    """The newest refresh that started at or after ``started_at`` (ISO time)."""
    return query("""
        SELECT started_at, finished_at, result, failed_stage, message, files_loaded,
               files_unchanged, files_rejected, rows_read, rows_quarantined
        FROM ops.refresh_history WHERE started_at >= CAST(? AS TIMESTAMP)
        ORDER BY started_at DESC LIMIT 1""", (started_at,))
