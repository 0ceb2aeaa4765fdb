"""The one place that reads the warehouse.

Connections are short-lived and read-only: a refresh publishes by replacing the file,
and a connection held open would keep reading the old one. Results are cached per file
version (its modification time) for at most a minute, so a published refresh shows up
within a minute without a restart. Every value from a widget is a bound parameter.
"""

import os
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

REPO = Path(__file__).resolve().parent.parent


def warehouse_path() -> Path:
    return Path(os.environ.get("WAREHOUSE") or REPO / "data" / "warehouse.duckdb")


def _version(path: Path) -> float | None:
    return path.stat().st_mtime if path.exists() else None


@st.cache_data(ttl=60, show_spinner=False)
def _run(path: str, version: float, sql: str, params: tuple) -> pd.DataFrame:
    with duckdb.connect(path, read_only=True) as con:
        return con.execute(sql, list(params)).df()


def query(sql: str, params: tuple = ()) -> pd.DataFrame | None:
    """A query's result, or None when no warehouse has been published yet."""
    path = warehouse_path()
    version = _version(path)
    if version is None:
        return None
    return _run(str(path), version, sql, params)


def load_log() -> pd.DataFrame | None:
    return query("""
        SELECT load_id, started_at, file, kind, status, rows_read, rows_loaded, rows_merged,
               rows_quarantined, error, warnings, replaces
        FROM raw.load_log ORDER BY load_id DESC""")


def quarantine_by_reason() -> pd.DataFrame | None:
    return query("""
        SELECT file, raw_table, column_name, reason, count(*) AS rows
        FROM raw.quarantine GROUP BY ALL ORDER BY rows DESC, file""")


def quarantined_rows(reason: str) -> pd.DataFrame | None:
    return query("""
        SELECT file, row_number, column_name, reason, value, detail
        FROM raw.quarantine WHERE reason = ? ORDER BY file, row_number LIMIT 1000""", (reason,))


def freshness() -> pd.DataFrame | None:
    return query("""
        SELECT kind, max(export_date) AS latest_export, max(finished_at) AS latest_load,
               count(*) AS files
        FROM raw.load_log WHERE status = 'loaded' GROUP BY kind ORDER BY kind""")
