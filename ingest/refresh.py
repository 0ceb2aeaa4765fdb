"""The refresh: ingest → dbt build → validation gate → publish. The only caller of the gate.

``python -m ingest --exports-dir DIR --warehouse FILE`` (``make refresh``).

Nothing published is ever written in place. The refresh copies the warehouse to a build
file beside it and works there; only when every stage has passed does it derive the
serving file (marts and operational tables, see ``settings.py``) and replace the
warehouse and the serving file, each with one atomic ``os.replace``. A refresh that fails
a stage, or is killed, leaves both as they were: the dashboard keeps serving the last good
data. A failed refresh still records itself in the refresh history, by republishing the
serving file with the same marts and one more history row. A lock file makes a second
refresh started meanwhile refuse with a clear message.

Exit status: 0 published, every file loaded (bad rows quarantined); 1 published, but some
file was rejected or not recognised; 2 the refresh could not run or a stage failed, nothing
new was published.
"""

import argparse
import contextlib
import ctypes
import datetime
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

import settings
from ingest import load, personnummer

DBT_PROJECT = settings.REPO / "dbt_project"
PROJECTS_CONFIG = settings.REPO / "config" / "projects.yml"
OPS_TABLES = {"load_log": "raw.load_log", "quarantine": "raw.quarantine"}


class RefreshBusy(Exception):
    pass


class StageFailed(Exception):
    def __init__(self, stage: str, message: str, details: list | None = None):
        super().__init__(message)
        self.stage, self.details = stage, details or []


@dataclass
class History:
    """One refresh, as kept in ops.refresh_history."""

    run_id: str
    started_at: str
    finished_at: str | None = None
    result: str = "running"  # published, failed
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


def run(exports_dir: Path, warehouse: Path, console: Console) -> int:
    if not exports_dir.is_dir():
        console.print(f"[red]The exports folder {exports_dir} does not exist.[/red] "
                      "Set EXPORTS_DIR to the folder holding the delivery.")
        return 2
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with _lock(warehouse) as lock:
        history = History(run_id=datetime.datetime.now().strftime("%Y%m%dT%H%M%S-")
                          + uuid.uuid4().hex[:6], started_at=_now())
        serving = settings.serving(warehouse)
        # Build files are named per run: a killed refresh's leftovers are deleted, and
        # never reused even if a process of that refresh still held one open.
        for leftover in warehouse.parent.glob(f".{warehouse.stem}.*build*"):
            leftover.unlink(missing_ok=True)
        build = warehouse.with_name(f".{warehouse.name}.build-{history.run_id}")
        serving_build = serving.with_name(f".{serving.name}.build-{history.run_id}")
        results: list[load.FileResult] = []
        try:
            with lock.stage("ingest", history.stage_seconds):
                if warehouse.exists():
                    shutil.copyfile(warehouse, build)
                results = _ingest(exports_dir, build, history, console)
            with lock.stage("dbt", history.stage_seconds):
                _dbt_build(build, console)
            with lock.stage("validate", history.stage_seconds):
                _validate(build, warehouse, results, history, console)
            with lock.stage("publish", history.stage_seconds):
                history.result = "published"
                history.finished_at = _now()
                _derive_serving(build, serving, serving_build, history)
                _publish(build, warehouse)
                _publish(serving_build, serving)
        except StageFailed as failure:
            history.result, history.failed_stage = "failed", failure.stage
            history.message = str(failure)
            history.checks_failed = failure.details
            history.finished_at = _now()
            try:
                _record_failure(serving, serving_build, history)
            except (OSError, duckdb.Error) as err:
                console.print(f"[red]Could not record the failure in the refresh history: {err}[/red]")
            summary(results, warehouse, console)
            console.print(f"[red]Refresh failed at stage '{failure.stage}': {failure}[/red]")
            for detail in failure.details[:20]:
                console.print(f"  - {detail}")
            console.print("Nothing new was published: the dashboard keeps the previous data.")
            return 2
        finally:
            build.unlink(missing_ok=True)
            serving_build.unlink(missing_ok=True)
    summary(results, warehouse, console)
    return exit_status(results)


def exit_status(results: list[load.FileResult]) -> int:
    """1 when a file was rejected or not recognised (the rest is published), else 0."""
    return 1 if any(r.status in (load.REJECTED, load.UNKNOWN) for r in results) else 0


def _now() -> str:
    return datetime.datetime.now().isoformat(timespec="seconds")


def _ingest(exports_dir: Path, build: Path, history: History,
            console: Console) -> list[load.FileResult]:
    try:
        with _progress(console) as progress:
            results = load.load_folder(exports_dir, build, history.run_id,
                                       personnummer.pseudonym_key(), PROJECTS_CONFIG, progress)
    except load.KeyMismatch as err:
        raise StageFailed("ingest", str(err)) from None
    for r in results:
        history.files_loaded += r.status == load.LOADED
        history.files_unchanged += r.status == load.UNCHANGED
        history.files_rejected += r.status in (load.REJECTED, load.UNKNOWN)
        history.rows_read += r.rows_read
        history.rows_loaded += r.rows_loaded
        history.rows_merged += r.rows_merged
        history.rows_quarantined += r.rows_quarantined
        if r.status in (load.REJECTED, load.UNKNOWN):
            history.warnings.append(f"{r.file}: {r.error}")
    return results


def _progress(console: Console) -> Progress:
    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[current]}"))
    return Progress(*columns, console=console, transient=not console.is_terminal)


def _dbt_build(build: Path, console: Console) -> None:
    """``dbt build`` (seeds, models, tests) on the build file, a progress bar per model.

    dbt runs in its own process, so no connection to the build file outlives it here.
    """
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), "build", "--project-dir", str(DBT_PROJECT), "--profiles-dir",
               str(DBT_PROJECT), "--log-format", "json", "--no-use-colors"]
    env = {**os.environ, "DBT_DUCKDB_PATH": str(build), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    failures, errors = [], []
    with _progress(console) as progress, subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            preexec_fn=_die_with_parent) as dbt_run:
        task = progress.add_task("dbt build", total=None, current="")
        for line in dbt_run.stdout:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                errors.append(line.strip())
                continue
            name, data = event["info"]["name"], event.get("data", {})
            if name == "NodeFinished":
                node = data.get("node_info", {})
                progress.update(task, advance=1, current=node.get("node_name", ""))
                if node.get("node_status") in ("error", "fail"):
                    failures.append(node.get("node_name", "?"))
            elif event["info"].get("level") == "error":
                errors.append(event["info"].get("msg", "").strip())
    if dbt_run.returncode != 0:
        details = [f"failed: {name}" for name in failures] + [e for e in errors if e][:20]
        raise StageFailed("dbt", "dbt build failed (models or tests); see the details, or run "
                                 "`dbt build` in dbt_project/ on the warehouse", details)


def _die_with_parent() -> None:
    """In the dbt child: be killed when the refresh dies, so that a killed refresh leaves
    no process writing to its build file (Linux prctl PR_SET_PDEATHSIG)."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


PR_SET_PDEATHSIG = 1


def _validate(build: Path, warehouse: Path, results: list[load.FileResult], history: History,
              console: Console) -> None:
    """The Great Expectations gate: a critical failure stops the refresh."""
    from expectations.gate import validate

    load_ids = [r.load_id for r in results if r.status == load.LOADED]
    gate = validate(build, warehouse.with_name(warehouse.stem + ".gx"),
                    settings.data_docs(warehouse), load_ids)
    warnings = [f"{c.table} {c.column or ''}: {c.details}"
                for c in gate.checks if not c.success and c.severity == "warning"]
    history.warnings += warnings
    for warning in warnings[:20]:
        console.print(f"[yellow]validation warning[/yellow] {warning}")
    history.validation = gate.to_json()
    if not gate.passed:
        raise StageFailed("validate", "critical expectations failed",
                          [f"{c.table} {c.expectation} {c.column or ''}: {c.details}"
                           for c in gate.checks if not c.success and c.severity == "critical"])


def _derive_serving(build: Path, serving: Path, serving_build: Path, history: History) -> None:
    """The serving file: every mart, the operational tables and the refresh history."""
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
        _write_history(con, serving, history)


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


def _write_history(con, serving: Path, history: History) -> None:
    """ops.refresh_history and ops.validation_results: the previous ones plus this run."""
    con.execute("CREATE TABLE ops.refresh_history (run_id VARCHAR, started_at TIMESTAMP, "
                "finished_at TIMESTAMP, result VARCHAR, failed_stage VARCHAR, message VARCHAR, "
                "files_loaded BIGINT, files_unchanged BIGINT, files_rejected BIGINT, "
                "rows_read BIGINT, rows_loaded BIGINT, rows_merged BIGINT, "
                "rows_quarantined BIGINT, checks_failed JSON, warnings JSON, stage_seconds JSON)")
    con.execute("CREATE TABLE ops.validation_results (run_id VARCHAR, results JSON)")
    if serving.exists():
        con.execute("ATTACH ? AS previous (READ_ONLY)", [str(serving)])
        for table in ("refresh_history", "validation_results"):
            if con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'previous' "
                           "AND schema_name = 'ops' AND table_name = ?", [table]).fetchall()[0][0]:
                con.execute(f"INSERT INTO ops.{table} BY NAME SELECT * FROM previous.ops.{table}")
        con.execute("DETACH previous")
    row = asdict(history)
    validation = row.pop("validation")
    row["checks_failed"] = json.dumps(row["checks_failed"], ensure_ascii=False)
    row["warnings"] = json.dumps(row["warnings"], ensure_ascii=False)
    row["stage_seconds"] = json.dumps(row["stage_seconds"])
    con.execute(f"INSERT INTO ops.refresh_history VALUES ({', '.join('?' * len(row))})",
                list(row.values()))
    if validation is not None:
        con.execute("INSERT INTO ops.validation_results VALUES (?, ?)", [history.run_id, validation])


def _record_failure(serving: Path, serving_build: Path, history: History) -> None:
    """Republish the serving file unchanged but for one more history row."""
    serving_build.unlink(missing_ok=True)
    with duckdb.connect(str(serving_build)) as con:
        if serving.exists():
            con.execute("ATTACH ? AS old (READ_ONLY)", [str(serving)])
            con.execute("COPY FROM DATABASE old TO " + con.execute(
                "SELECT current_database()").fetchall()[0][0])
            con.execute("DETACH old")
            con.execute("DROP TABLE IF EXISTS ops.refresh_history")
            con.execute("DROP TABLE IF EXISTS ops.validation_results")
        else:
            con.execute("CREATE SCHEMA ops")
        _write_history(con, serving, history)
    _publish(serving_build, serving)


def _publish(built: Path, target: Path) -> None:
    """Replace ``target`` with ``built`` in one step, durably."""
    with built.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(built, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class _lock:
    """An exclusive lock beside the warehouse; a second refresh refuses at once."""

    def __init__(self, warehouse: Path):
        self.path = warehouse.with_name(f".{warehouse.name}.lock")

    def __enter__(self):
        self.file = self.path.open("a+")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.seek(0)
            holder = self.file.read().strip() or "another process"
            self.file.close()
            raise RefreshBusy(
                f"Another refresh of this warehouse is running ({holder}). "
                "Wait for it to finish, then run the refresh again."
            ) from None
        self.file.truncate(0)
        self.file.write(f"pid {os.getpid()}, started {datetime.datetime.now():%Y-%m-%d %H:%M:%S}")
        self.file.flush()
        return self

    @contextlib.contextmanager
    def stage(self, name: str, seconds: dict):
        """Show the stage in the lock file, time it into ``seconds``, and turn a failed
        write into a stage failure."""
        self.file.truncate(0)
        self.file.write(f"pid {os.getpid()}, stage {name} since {datetime.datetime.now():%H:%M:%S}")
        self.file.flush()
        start = time.perf_counter()
        try:
            yield
        except (OSError, duckdb.IOException) as err:
            raise StageFailed(name, f"could not read or write a file ({err}). Check free disk "
                                    "space and permissions, then run the refresh again.") from None
        finally:
            seconds[name] = round(time.perf_counter() - start, 2)

    def __exit__(self, *exc):
        self.file.truncate(0)
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


def summary(results: list[load.FileResult], warehouse: Path, console: Console) -> None:
    table = Table(title=f"Refresh of {warehouse}")
    for name in ("kind", "files", "unchanged", "rows read", "loaded", "merged", "quarantined"):
        table.add_column(name, justify="left" if name == "kind" else "right")
    by_kind = defaultdict(list)
    for r in results:
        by_kind[r.kind or "(unknown)"].append(r)
    for kind, rows in sorted(by_kind.items()):
        table.add_row(kind, str(len(rows)),
                      str(sum(r.status == load.UNCHANGED for r in rows)),
                      *(f"{sum(getattr(r, a) for r in rows):,}".replace(",", " ")
                        for a in ("rows_read", "rows_loaded", "rows_merged", "rows_quarantined")))
    console.print(table)
    for r in results:
        if r.status in (load.REJECTED, load.UNKNOWN):
            console.print(f"[red]{r.status}[/red] {r.file}: {r.error}")
        if r.warnings:
            console.print(f"[yellow]warning[/yellow] {r.file}: {r.warnings}")
        if r.replaces:
            console.print(f"{r.file} replaces {r.replaces}")
    if any(r.rows_quarantined for r in results):
        console.print("Quarantined rows, with file, row, column and reason: table raw.quarantine.")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--exports-dir", type=Path, default=settings.exports_dir())
    parser.add_argument("--warehouse", type=Path, default=settings.warehouse())
    args = parser.parse_args(argv)
    console = Console(stderr=True, width=None if sys.stderr.isatty() else 120)
    try:
        return run(args.exports_dir, args.warehouse, console)
    except RefreshBusy as err:
        console.print(f"[red]{err}[/red]")
        return 2


if __name__ == "__main__":
    sys.exit(main())
