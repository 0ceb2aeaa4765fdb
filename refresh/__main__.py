"""``python -m refresh``: the command line of the refresh (``make refresh``)."""

import argparse
import sys
from pathlib import Path

from rich.console import Console

import refresh
import settings
from refresh.lock import RefreshBusy
from refresh.pipeline import run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m refresh",
                                     description=refresh.__doc__.splitlines()[0])
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
