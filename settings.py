"""Where Kedjan's files are: one rule shared by ingest, the refresh and the dashboard.

``WAREHOUSE`` names the full warehouse (raw, staging, intermediate, marts) as it stood after
the last successful refresh. Beside it the refresh publishes the serving file the dashboard
reads: the marts plus the operational tables (load log, quarantine, refresh history,
validation results), nothing from raw or staging.
"""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent
# Projects, periods, money and targets: every load copies them into raw for dbt.
# DuckDB's memory limit for the refresh's heavy connections (ingest's, dbt's): past it large
# operators spill to disk instead of growing with the delivery. KEDJAN_MEMORY_LIMIT sets it.
MEMORY_LIMIT = os.environ.get("KEDJAN_MEMORY_LIMIT") or "4GB"

# Two figures equal to this many decimals are the same figure: a publish that changed none
# adds no row set to the KPI archive (refresh/archive.py), and no revision is shown
# (dashboard/queries/revisions.py).
FIGURE_DECIMALS = 9

# The projects and targets; KEDJAN_PROJECTS_CONFIG names another file (a deployment's own).
PROJECTS_CONFIG = Path(os.environ.get("KEDJAN_PROJECTS_CONFIG") or REPO / "config" / "projects.yml")


def warehouse() -> Path:
    return Path(os.environ.get("WAREHOUSE") or REPO / "data" / "warehouse.duckdb")


def exports_dir() -> Path:
    return Path(os.environ.get("EXPORTS_DIR") or REPO / "data" / "exports")


def serving(warehouse_path: Path) -> Path:
    return warehouse_path.with_name(warehouse_path.stem + ".serving.duckdb")


def data_docs(warehouse_path: Path) -> Path:
    """Great Expectations' Data Docs of the latest refresh (static HTML)."""
    return warehouse_path.with_name(warehouse_path.stem + ".data_docs")


def uploads_log(exports_path: Path) -> Path:
    """Who uploaded which file and when (JSON lines, by the dashboard's delivery page);
    ingest copies it into the load log. Hidden, so it is no file of the delivery."""
    return exports_path / ".uploads.jsonl"


def incoming(exports_path: Path) -> Path:
    """Uploaded files waiting for the data steward to accept or discard them (a hidden
    folder of the delivery folder, so that accepting is one rename; no load reads it)."""
    return exports_path / ".incoming"


def refresh_lock(warehouse_path: Path) -> Path:
    """The refresh's lock file: held while a refresh runs, naming its pid and stage."""
    return warehouse_path.with_name(f".{warehouse_path.name}.lock")


def refresh_output(warehouse_path: Path) -> Path:
    """What the last refresh started from the dashboard printed."""
    return warehouse_path.with_name(f".{warehouse_path.name}.refresh.log")
