"""``python -m dashboard.report [--project ETST] [--month 2013-12] [--lang sv|en] [--out FILE]``:
the Lägesrapport of the published serving file beside WAREHOUSE, as a PDF.

Without --project every project is in one report; without --month the latest month of
data; without --out the file is
data/reports/lagesrapport_<project|alla>_<month>_<lang>.pdf in the repository.
"""

import argparse
import logging
import sys
from pathlib import Path

import pandas as pd

import settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", help="a project code (ETST, HEART, …); omit for all")
    parser.add_argument("--month", help="the report month, YYYY-MM; omit for the latest")
    parser.add_argument("--lang", default="sv", choices=("sv", "en"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    # The dashboard's cached queries and texts run here without a Streamlit server: that
    # is expected, so Streamlit's warnings about it are not shown (errors still are).
    logging.disable(logging.WARNING)
    from dashboard.report import content, render

    month = None
    if args.month:
        try:
            month = pd.Timestamp(pd.Period(args.month, freq="M").start_time)
        except ValueError:
            print(f"--month {args.month}: write the month as YYYY-MM, e.g. 2013-12", file=sys.stderr)
            return 2
    serving = settings.serving(settings.warehouse())
    if not serving.exists():
        print(f"No published serving file at {serving}: run `make refresh WAREHOUSE=…` first, "
              "or set WAREHOUSE to the warehouse you refreshed.", file=sys.stderr)
        return 2
    projects = [args.project] if args.project else None
    try:
        with render.language(args.lang):
            print(f"Reading {serving} …", file=sys.stderr)
            found = content.collect(projects, month)
            print(f"Printing {len(found.figures)} figures to PDF with {render.chromium()} …",
                  file=sys.stderr)
            document = render.pdf(render.html_document(found))
    except content.ReportError as error:
        print(error, file=sys.stderr)
        return 2
    out = args.out or settings.REPO / "data" / "reports" / (
        f"lagesrapport_{args.project or 'alla'}_{found.as_of:%Y-%m}_{args.lang}.pdf")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(document)
    print(f"Wrote {out} ({len(document) // 1024} kB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
