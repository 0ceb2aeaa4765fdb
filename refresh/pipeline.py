"""One refresh, its stages in order: ingest → dbt build → validate → publish."""

import datetime
import hashlib
import shutil
import time
import uuid
from pathlib import Path

import duckdb
from rich.console import Console

import settings
from ingest import load, personnummer, private
from ingest.report import exit_status, progress, summary
from refresh import StageFailed, archive, dbt, history
from refresh.lock import Lock
from refresh.publish import derive_serving, publish

# A scheduled refresh leaves a delivery alone while a file in it changed this recently:
# a file still being copied onto the share would otherwise load cut off.
SETTLE_SECONDS = 120


def run(exports_dir: Path, warehouse: Path, console: Console, only_if_new: bool = False) -> int:
    """Refresh ``warehouse`` from the delivery in ``exports_dir``; the exit status.

    ``only_if_new`` (the scheduled refresh): with nothing new, or a file that is still
    arriving, do nothing at all (no history row, no file written) and return 0.
    Raises RefreshBusy when another refresh of the warehouse holds the lock.
    """
    if not exports_dir.is_dir():
        console.print(f"[red]The exports folder {exports_dir} does not exist.[/red] "
                      "Set EXPORTS_DIR to the folder holding the delivery.")
        return 2
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with Lock(warehouse) as lock:
        record = history.History(run_id=datetime.datetime.now().strftime("%Y%m%dT%H%M%S-")
                                 + uuid.uuid4().hex[:6], started_at=history.now())
        serving = settings.serving(warehouse)
        # Build files are named per run: a killed refresh's leftovers are deleted, and
        # never reused even if a process of that refresh still held one open. So are
        # its private folder and DuckDB's spill folders (<build file>.tmp).
        for leftover in warehouse.parent.glob(f".{warehouse.stem}.*build*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
        private.remove_leftovers(warehouse)
        build = warehouse.with_name(f".{warehouse.name}.build-{record.run_id}")
        serving_build = serving.with_name(f".{serving.name}.build-{record.run_id}")
        started = time.perf_counter()
        record.fingerprint = fingerprint()
        code_changed = last_fingerprint(serving) != record.fingerprint
        if only_if_new:
            arriving = [p.name for p in load.delivery_files(exports_dir)
                        if time.time() - p.stat().st_mtime < SETTLE_SECONDS]
            if arriving:
                console.print(f"Files still arriving ({', '.join(arriving)}): the next "
                              "scheduled run loads them. Nothing was done.")
                return 0
        if not code_changed and load.delivered_before(exports_dir, warehouse):
            if only_if_new:
                console.print("Nothing new since the last refresh. Nothing was done.")
                return 0
            record.result = "unchanged"
            record.message = "nothing new: every file was loaded before, code and config unchanged"
            record.stage_seconds["check"] = round(time.perf_counter() - started, 3)
            record.finished_at = history.now()
            history.record(serving, serving_build, record)
            console.print("Nothing new: every file of the delivery was loaded before and the "
                          "code and config/projects.yml are unchanged. Nothing was published.")
            return 0
        results: list[load.FileResult] = []
        try:
            with lock.stage("ingest", record.stage_seconds):
                if warehouse.exists():
                    shutil.copyfile(warehouse, build)
                with private.folder(warehouse, record.run_id) as folder:
                    results = _ingest(exports_dir, build, folder, record, console)
            with lock.stage("dbt", record.stage_seconds):
                warned = dbt.build(build, console, unit_tests=code_changed)
                record.warnings += warned
                for warning in warned[:20]:
                    console.print(f"[yellow]dbt warning[/yellow] {warning}")
            with lock.stage("validate", record.stage_seconds):
                _validate(build, warehouse, results, record, console)
            with lock.stage("publish", record.stage_seconds):
                record.result = "published"
                record.finished_at = history.now()
                derive_serving(build, serving_build)
                history.write(serving_build, serving, record)
                archive.keep(serving_build, serving, record.run_id, record.finished_at)
                publish(build, warehouse)
                publish(serving_build, serving)
        except StageFailed as failure:
            record.result, record.failed_stage = "failed", failure.stage
            record.message = str(failure)
            record.checks_failed = failure.details
            record.finished_at = history.now()
            try:
                history.record(serving, serving_build, record)
            except (OSError, duckdb.Error) as err:
                console.print(f"[red]Could not record the failure in the refresh history: {err}[/red]")
            summary(results, f"Refresh of {warehouse}", console)
            console.print(f"[red]Refresh failed at stage '{failure.stage}': {failure}[/red]")
            for detail in failure.details[:20]:
                console.print(f"  - {detail}")
            console.print("Nothing new was published: the dashboard keeps the previous data.")
            return 2
        finally:
            build.unlink(missing_ok=True)
            serving_build.unlink(missing_ok=True)
    summary(results, f"Refresh of {warehouse}", console)
    return exit_status(results)


# What a published warehouse was built with, besides the delivery: a change to any of these
# makes the next refresh rebuild even when no file is new.
BUILT_WITH = [settings.PROJECTS_CONFIG, dbt.DBT_PROJECT / "dbt_project.yml",
              *(dbt.DBT_PROJECT / folder for folder in ("models", "seeds", "macros", "tests")),
              settings.REPO / "expectations"]


def fingerprint() -> str:
    """SHA-256 of the config, the dbt project and the gate's suites, file by file."""
    digest = hashlib.sha256()
    for root in BUILT_WITH:
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root.parent)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def last_fingerprint(serving: Path) -> str | None:
    """The fingerprint the last published warehouse was built with (None: none yet).

    With the same fingerprint and no file it has not seen, a refresh would publish the
    same marts; with the same fingerprint and new files, the models' code is unchanged,
    so their unit tests need not run again.
    """
    if not serving.exists():
        return None
    try:
        with duckdb.connect(str(serving), read_only=True) as con:
            last = con.execute("SELECT fingerprint FROM ops.refresh_history "
                               "WHERE result = 'published' ORDER BY finished_at DESC LIMIT 1").fetchall()
    except duckdb.Error:  # a serving file from before fingerprints were kept
        return None
    return last[0][0] if last else None


def _ingest(exports_dir: Path, build: Path, folder: Path, record: history.History,
            console: Console) -> list[load.FileResult]:
    """Load the delivery into the build file; ``folder`` is the load's private folder."""
    try:
        with progress(console) as bars:
            results = load.load_folder(exports_dir, build, record.run_id,
                                       personnummer.pseudonym_key(), settings.PROJECTS_CONFIG,
                                       folder, bars)
    except load.KeyMismatch as err:
        raise StageFailed("ingest", str(err)) from None
    for r in results:
        record.files_loaded += r.status == load.LOADED
        record.files_unchanged += r.status == load.UNCHANGED
        record.files_rejected += r.status in (load.REJECTED, load.UNKNOWN)
        record.rows_read += r.rows_read
        record.rows_loaded += r.rows_loaded
        record.rows_merged += r.rows_merged
        record.rows_quarantined += r.rows_quarantined
        if r.status in (load.REJECTED, load.UNKNOWN):
            record.warnings.append(f"{r.file}: {r.error}")
    return results


def _validate(build: Path, warehouse: Path, results: list[load.FileResult],
              record: history.History, console: Console) -> None:
    """The Great Expectations gate: a critical failure stops the refresh."""
    from expectations.gate import validate  # here: Great Expectations takes seconds to import

    load_ids = [r.load_id for r in results if r.status == load.LOADED]
    gate = validate(build, warehouse.with_name(warehouse.stem + ".gx"),
                    settings.data_docs(warehouse), load_ids)
    warnings = [f"{c.table} {c.column or ''}: {c.details}"
                for c in gate.checks if not c.success and c.severity == "warning"]
    record.warnings += warnings
    for warning in warnings[:20]:
        console.print(f"[yellow]validation warning[/yellow] {warning}")
    record.validation = gate.to_json()
    if not gate.passed:
        raise StageFailed("validate", "critical expectations failed",
                          [f"{c.table} {c.expectation} {c.column or ''}: {c.details}"
                           for c in gate.checks if not c.success and c.severity == "critical"])
