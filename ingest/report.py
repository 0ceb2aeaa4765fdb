"""What a load tells the person running it: progress bars, the summary table, the exit status.

Shared by ``python -m ingest`` and the refresh (``python -m refresh``).
"""

from collections import defaultdict

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from ingest.load import REJECTED, UNCHANGED, UNKNOWN, FileResult


def progress(console: Console) -> Progress:
    """A bar per task, showing what it is working on; kept on screen only in a terminal."""
    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[current]}"))
    return Progress(*columns, console=console, transient=not console.is_terminal)


def exit_status(results: list[FileResult]) -> int:
    """1 when a file was rejected or not recognised (the rest is loaded), else 0."""
    return 1 if any(r.status in (REJECTED, UNKNOWN) for r in results) else 0


def summary(results: list[FileResult], title: str, console: Console) -> None:
    """Rows per file kind, then every rejected or unknown file, warning and replacement."""
    table = Table(title=title)
    for name in ("kind", "files", "unchanged", "rows read", "loaded", "merged", "quarantined"):
        table.add_column(name, justify="left" if name == "kind" else "right")
    by_kind = defaultdict(list)
    for r in results:
        by_kind[r.kind or "(unknown)"].append(r)
    for kind, rows in sorted(by_kind.items()):
        table.add_row(kind, str(len(rows)),
                      str(sum(r.status == UNCHANGED for r in rows)),
                      *(f"{sum(getattr(r, a) for r in rows):,}".replace(",", " ")
                        for a in ("rows_read", "rows_loaded", "rows_merged", "rows_quarantined")))
    console.print(table)
    for r in results:
        if r.status in (REJECTED, UNKNOWN):
            console.print(f"[red]{r.status}[/red] {r.file}: {r.error}")
        if r.warnings:
            console.print(f"[yellow]warning[/yellow] {r.file}: {r.warnings}")
        if r.replaces:
            console.print(f"{r.file} replaces {r.replaces}")
    if any(r.rows_quarantined for r in results):
        console.print("Quarantined rows, with file, row, column and reason: table raw.quarantine.")
