"""Load one delivery folder into the raw schema of a DuckDB file: no dbt, no gate, no publish.

``python -m ingest --warehouse FILE [--exports-dir DIR]`` loads in place. For looking at
a delivery (its load log and quarantine) before refreshing, or for loading a
scratch copy. The published warehouse is refreshed with ``python -m refresh``, which builds
on a copy and publishes atomically; do not point this at it while a refresh runs.

Exit status: 0 every file loaded (bad rows quarantined); 1 some file was rejected or not
recognised; 2 the pseudonymisation key is not the one the file was built with.
"""

import argparse
import datetime
import sys
import uuid
from pathlib import Path

from rich.console import Console

import settings
from ingest import load, personnummer, private
from ingest.report import exit_status, progress, summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--exports-dir", type=Path, default=settings.exports_dir())
    parser.add_argument("--warehouse", type=Path, required=True,
                        help="the DuckDB file to load into (created when missing)")
    args = parser.parse_args(argv)
    console = Console(stderr=True, width=None if sys.stderr.isatty() else 120)
    if not args.exports_dir.is_dir():
        console.print(f"[red]The exports folder {args.exports_dir} does not exist.[/red]")
        return 2
    args.warehouse.parent.mkdir(parents=True, exist_ok=True)
    run_id = datetime.datetime.now().strftime("ingest-%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:6]
    try:
        with private.folder(args.warehouse, run_id) as folder, progress(console) as bars:
            results = load.load_folder(args.exports_dir, args.warehouse, run_id,
                                       personnummer.pseudonym_key(), settings.PROJECTS_CONFIG,
                                       folder, bars)
    except load.KeyMismatch as err:
        console.print(f"[red]{err}[/red]")
        return 2
    summary(results, f"Load of {args.exports_dir} into {args.warehouse}", console)
    return exit_status(results)


if __name__ == "__main__":
    sys.exit(main())
