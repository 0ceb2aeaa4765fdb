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
    parser.add_argument("--only-if-new", action="store_true",
                        help="for a schedule: when no file is new (or one is still arriving) "
                             "and code and config are unchanged, do nothing at all")
    args = parser.parse_args(argv)
    console = Console(stderr=True, width=None if sys.stderr.isatty() else 120)
    try:
        return run(args.exports_dir, args.warehouse, console, args.only_if_new)
    except RefreshBusy as err:
        console.print(f"[red]{err}[/red]")
        return 2


if __name__ == "__main__":
    sys.exit(main())
