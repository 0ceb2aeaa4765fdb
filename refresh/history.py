"""The refresh history (ops.refresh_history, ops.validation_results in the serving file)."""

import datetime
import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from refresh.publish import publish


@dataclass
class History:
    """One refresh, as kept in ops.refresh_history."""

    run_id: str
    started_at: str
    finished_at: str | None = None
    result: str = "running"  # published, failed, unchanged (nothing new: nothing published)
    failed_stage: str | None = None
    message: str | None = None
    files_loaded: int = 0
    files_unchanged: int = 0
    files_rejected: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_merged: int = 0
    rows_quarantined: int = 0
    checks_failed: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    stage_seconds: dict = field(default_factory=dict)
    validation: str | None = None  # the gate's results as JSON: ops.validation_results
    fingerprint: str | None = None  # of the code and config it was built with (pipeline.py)


def now() -> str:
    return datetime.datetime.now().isoformat(timespec="milliseconds")  # two quick runs stay in order


# ops.refresh_history's columns, in the order of History's fields.
COLUMNS = [("run_id", "VARCHAR"), ("started_at", "TIMESTAMP"), ("finished_at", "TIMESTAMP"),
           ("result", "VARCHAR"), ("failed_stage", "VARCHAR"), ("message", "VARCHAR"),
           ("files_loaded", "BIGINT"), ("files_unchanged", "BIGINT"), ("files_rejected", "BIGINT"),
           ("rows_read", "BIGINT"), ("rows_loaded", "BIGINT"), ("rows_merged", "BIGINT"),
           ("rows_quarantined", "BIGINT"), ("checks_failed", "JSON"), ("warnings", "JSON"),
           ("stage_seconds", "JSON"), ("fingerprint", "VARCHAR")]


def write(serving_build: Path, serving: Path, history: History) -> None:
    """ops.refresh_history and ops.validation_results in ``serving_build`` (a new file):
    those of the published ``serving`` file plus this run."""
    with duckdb.connect(str(serving_build)) as con:
        _create_tables(con)
        if serving.exists():
            con.execute("ATTACH ? AS previous (READ_ONLY)", [str(serving)])
            for table in ("refresh_history", "validation_results"):
                if con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = "
                               "'previous' AND schema_name = 'ops' AND table_name = ?",
                               [table]).fetchall()[0][0]:
                    con.execute(f"INSERT INTO ops.{table} BY NAME SELECT * FROM previous.ops.{table}")
            con.execute("DETACH previous")
        _insert(con, history)


def record(serving: Path, serving_build: Path, history: History) -> None:
    """Republish the serving file unchanged but for one more history row (a refresh that
    failed, or found nothing new). The file is copied as it is (no writer has it open:
    the refresh holds the lock) and the row added to the copy, so the cost is a file copy,
    not a rewrite of every mart."""
    serving_build.unlink(missing_ok=True)
    if not serving.exists():
        write(serving_build, serving, history)
    else:
        shutil.copyfile(serving, serving_build)
        with duckdb.connect(str(serving_build)) as con:
            _create_tables(con)
            _insert(con, history)
    publish(serving_build, serving)


def _create_tables(con) -> None:
    """The history tables, and any column a serving file from an earlier release lacks."""
    con.execute("CREATE SCHEMA IF NOT EXISTS ops")
    con.execute("CREATE TABLE IF NOT EXISTS ops.refresh_history ("
                + ", ".join(f"{name} {kind}" for name, kind in COLUMNS) + ")")
    for name, kind in COLUMNS:
        con.execute(f"ALTER TABLE ops.refresh_history ADD COLUMN IF NOT EXISTS {name} {kind}")
    con.execute("CREATE TABLE IF NOT EXISTS ops.validation_results (run_id VARCHAR, results JSON)")


def _insert(con, history: History) -> None:
    row = asdict(history)
    validation = row.pop("validation")
    row["checks_failed"] = json.dumps(row["checks_failed"], ensure_ascii=False)
    row["warnings"] = json.dumps(row["warnings"], ensure_ascii=False)
    row["stage_seconds"] = json.dumps(row["stage_seconds"])
    con.execute(f"INSERT INTO ops.refresh_history ({', '.join(row)}) "
                f"VALUES ({', '.join('?' * len(row))})", list(row.values()))
    if validation is not None:
        con.execute("INSERT INTO ops.validation_results VALUES (?, ?)", [history.run_id, validation])
