"""The refresh: load a delivery into a copy of the warehouse, then publish it atomically.

``python -m ingest --exports-dir DIR --warehouse FILE`` (``make refresh``).

The warehouse file is never written in place: the refresh copies it to a build file
beside it, works there, and replaces the warehouse with one ``os.replace`` at the end.
A dashboard reading the warehouse keeps reading the old file until the new one is
complete, and a refresh that dies leaves the warehouse as it was. A lock file makes a
second refresh started meanwhile refuse with a clear message.

Exit status: 0 all files loaded (bad rows quarantined); 1 some file was rejected or not
recognised (the other files are loaded and published); 2 the refresh could not run.
"""

import argparse
import datetime
import fcntl
import os
import shutil
import sys
import uuid
from collections import defaultdict
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from ingest import load, personnummer

REPO = Path(__file__).resolve().parent.parent
DEFAULT_EXPORTS_DIR = REPO / "data" / "exports"
DEFAULT_WAREHOUSE = REPO / "data" / "warehouse.duckdb"
PROJECTS_CONFIG = REPO / "config" / "projects.yml"


class RefreshBusy(Exception):
    pass


def run(exports_dir: Path, warehouse: Path, console: Console) -> int:
    if not exports_dir.is_dir():
        console.print(f"[red]The exports folder {exports_dir} does not exist.[/red] "
                      "Set EXPORTS_DIR to the folder holding the delivery.")
        return 2
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with _lock(warehouse):
        build = warehouse.with_name(f".{warehouse.name}.build")
        build.unlink(missing_ok=True)
        if warehouse.exists():
            shutil.copyfile(warehouse, build)
        try:
            results = _ingest(exports_dir, build, console)
        except load.KeyMismatch as err:
            build.unlink(missing_ok=True)
            console.print(f"[red]{err}[/red]")
            return 2
        _publish(build, warehouse)
    _summary(results, warehouse, console)
    failed = [r for r in results if r.status in (load.REJECTED, load.UNKNOWN)]
    return 1 if failed else 0


def _ingest(exports_dir: Path, build: Path, console: Console) -> list[load.FileResult]:
    run_id = datetime.datetime.now().strftime("%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:6]
    today = datetime.date.today()
    con = load.connect(build, personnummer.pseudonym_key())
    try:
        files = load.delivery_files(exports_dir)
        by_kind = defaultdict(list)
        for path in files:
            kind = load.kind_for(path.name)
            by_kind[kind.name if kind else "(unknown)"].append(path)
        config = load.read_config(PROJECTS_CONFIG)
        load.load_config(con, config)
        codes = {p["code"] for p in config["projects"]}
        results = []
        columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[current]}"))
        with Progress(*columns, console=console, transient=not console.is_terminal) as progress:
            tasks = {name: progress.add_task(name, total=len(paths), current="")
                     for name, paths in by_kind.items()}
            for path in files:
                kind = load.kind_for(path.name)
                task = tasks[kind.name if kind else "(unknown)"]
                progress.update(task, current=path.name)
                results.append(load.load_file(con, path, run_id, codes, today))
                progress.update(task, advance=1, current="")
        con.execute("CHECKPOINT wh")
    finally:
        con.close()
    return results


def _publish(build: Path, warehouse: Path) -> None:
    """Replace the warehouse with the build file in one step, durably."""
    with build.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(build, warehouse)
    directory = os.open(warehouse.parent, os.O_RDONLY)
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

    def __exit__(self, *exc):
        self.file.truncate(0)
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


def _summary(results: list[load.FileResult], warehouse: Path, console: Console) -> None:
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
    parser.add_argument("--exports-dir", type=Path,
                        default=Path(os.environ.get("EXPORTS_DIR") or DEFAULT_EXPORTS_DIR))
    parser.add_argument("--warehouse", type=Path,
                        default=Path(os.environ.get("WAREHOUSE") or DEFAULT_WAREHOUSE))
    args = parser.parse_args(argv)
    console = Console(stderr=True, width=None if sys.stderr.isatty() else 120)
    try:
        return run(args.exports_dir, args.warehouse, console)
    except RefreshBusy as err:
        console.print(f"[red]{err}[/red]")
        return 2


if __name__ == "__main__":
    sys.exit(main())
