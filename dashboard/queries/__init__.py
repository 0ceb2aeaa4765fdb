"""The one place that reads the warehouse: this package, one module per page.

Connections are short-lived and read-only: a refresh publishes by replacing the file,
and a connection held open would keep reading the old one. Results are cached per file
version (its modification time): the file changes only by a publish, so a cached result
stays right until the next one, which shows up on the next page load without a restart
(the oldest results make room for new ones). Every value from a widget is a bound
parameter.
"""

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

import settings


def serving_path() -> Path:
    """The published serving file beside WAREHOUSE: marts and operational tables only."""
    return settings.serving(settings.warehouse())


def _version(path: Path) -> float | None:
    return path.stat().st_mtime if path.exists() else None


# A shared result, not a copy per call (st.cache_data unpickles one each time, a good part
# of a warm page's time): query() hands out shallow copies, and with pandas' copy-on-write
# a caller's change to one never reaches the cached frame.
@st.cache_resource(max_entries=500, show_spinner=False)
def _run(path: str, version: float, sql: str, params: tuple) -> pd.DataFrame:
    with duckdb.connect(path, read_only=True) as con:
        return con.execute(sql, list(params)).df()


def version() -> tuple[str, float | None]:
    """The serving file and its version: what derived results are cached by."""
    path = serving_path()
    return str(path), _version(path)


def query(sql: str, params: tuple = ()) -> pd.DataFrame | None:
    """A query's result, or None when no warehouse has been published yet."""
    path = serving_path()
    version = _version(path)
    if version is None:
        return None
    return _run(str(path), version, sql, params).copy(deep=False)


def latest_refresh() -> pd.DataFrame | None:
    """The newest refresh that published, for the as-of date and freshness on every page."""
    return query("""
        SELECT run_id, started_at, finished_at, result FROM ops.refresh_history
        WHERE result = 'published' ORDER BY finished_at DESC LIMIT 1""")


def project_ids() -> list[str]:
    projects = query("SELECT project_id FROM marts.dim_project ORDER BY project_id")
    return [] if projects is None else projects["project_id"].tolist()
