"""Check export files before they are delivered: what a load would make of them, loading nothing.

``python -m ingest.check FILE…`` prints one JSON object per file (a JSON list): the export
kind its name gives (or the names that are expected), its encoding, the header check
(missing columns, the columns found, those the contract does not know), rows read, and
every problem a load would quarantine (row number, column, reason, value, detail). The
reader and the validation are the load's own (``load.check_sheets``, ``load.problem_rows_sql``),
so the check reports exactly what ``python -m ingest`` would record for the file.

Why a command and not a module the dashboard imports: the data steward's delivery page
runs it as a child process, for three reasons. Data flows one way and the dashboard
imports nothing from ingest (tests/test_layout.py). The clear personnummer of an uploaded
file are read only in this short-lived process (an in-memory DuckDB database spilling,
if ever, into a private folder that is removed), never in the long-running web server's
memory or caches. And the check needs no pseudonymisation key: it makes person keys with a
throwaway one and never shows them. What it prints holds no personnummer: values are those
quarantine would store (``load._shown``), and header texts are masked (``load.masked``).
It touches no warehouse, so whether a file was loaded before is the caller's question
(the SHA-256 it prints against the load log).

Exit status: 0 every file was checked (whatever it holds); 2 a named file does not exist.
"""

import argparse
import datetime
import json
import secrets
import sys
import uuid
from pathlib import Path

import duckdb

import settings
from ingest import load, personnummer, private, readers
from ingest.sources import FILE_KINDS, kind_for

OK = "ok"  # the file would load (any bad rows quarantined); else load.REJECTED or load.UNKNOWN


def expected_names() -> list[str]:
    """The file names ingest recognises, as patterns (exports.md)."""
    return [f"{kind.name}_….{kind.extension}" for kind in FILE_KINDS]


def check_file(con: duckdb.DuckDBPyConnection, path: Path, project_codes: set[str],
               today: datetime.date) -> dict:
    """What loading ``path`` would do, as a JSON-ready dict (see the module docstring)."""
    kind = kind_for(path.name)
    report = {"file": path.name, "bytes": path.stat().st_size, "sha256": load.file_sha256(path),
              "kind": kind.name if kind else None, "status": OK, "error": None,
              "expected_names": None, "encoding": None, "bom": None, "export_date": None,
              "sheets": [], "rows_read": 0, "rows_quarantined": 0, "problems": [],
              "warnings": None}
    if kind is None:
        report.update(status=load.UNKNOWN, expected_names=expected_names(),
                      error="no export kind has this file name; see exports.md")
        return report
    if kind.extension == "csv":
        with path.open("rb") as f:
            report.update(encoding=kind.encoding, bom=f.read(3) == b"\xef\xbb\xbf")
    try:
        exported, checked = load.check_sheets(con, path, kind, today)
    except load.SchemaDrift as err:
        report.update(status=load.REJECTED, error=load.masked(str(err)))
        report["sheets"] = [{"sheet": err.sheet, "missing": err.missing,
                             "found": err.found, "unexpected": err.unexpected}]
        return report
    except (readers.FileRejected, ValueError) as err:
        report.update(status=load.REJECTED, error=load.masked(str(err)))
        return report
    report["export_date"] = exported.isoformat()
    for sheet, index in checked:
        read, good = load.sheet_counts(con, index)
        report["sheets"].append({"sheet": sheet.sheet_name, "rows_read": read,
                                 "rows_quarantined": read - good, "missing": [],
                                 "found": [c.name for c in sheet.columns], "unexpected": []})
        report["rows_read"] += read
        report["rows_quarantined"] += read - good
        cursor = con.execute(load.problem_rows_sql(index))
        names = [d[0] for d in cursor.description]
        report["problems"] += [{"sheet": sheet.sheet_name, **dict(zip(names, row))}
                               for row in cursor.fetchall()]
    report["warnings"] = load.unknown_projects(con, kind, checked, project_codes).get(0)
    return report


def check_files(paths: list[Path]) -> list[dict]:
    config = load.read_config(settings.PROJECTS_CONFIG)
    codes = {p["code"] for p in config["projects"]}
    today = datetime.date.today()
    run_id = "check-" + uuid.uuid4().hex[:8]
    # Spill files would hold clear personnummer: into a private folder beside the files.
    with private.folder(paths[0].parent / "check", run_id) as folder:
        con = duckdb.connect(config={"temp_directory": str(folder),
                                     "memory_limit": settings.MEMORY_LIMIT})
        try:
            personnummer.install(con, secrets.token_bytes(32))  # keys made here are never shown
            return [check_file(con, path, codes, today) for path in paths]
        finally:
            con.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.check",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args(argv)
    absent = [str(p) for p in args.files if not p.is_file()]
    if absent:
        print(f"No such file: {', '.join(absent)}", file=sys.stderr)
        return 2
    json.dump(check_files(args.files), sys.stdout, ensure_ascii=False, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
