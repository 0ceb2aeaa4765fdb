"""The parse floor: the same files read into DuckDB tables and nothing else.

    python benchmarks/parse_floor.py --exports DIR

CSV files go through DuckDB's bare ``read_csv`` (its own sniffer, no typing rules of
ours); the city's Windows-1252 files are decoded to UTF-8 first, streamed to a file in a
scratch folder, as DuckDB cannot read cp1252 itself. Workbooks are read with calamine and
each sheet is stored as a table of text columns. No validation, no pseudonymisation, no
history: what ingest does beyond this is what the ratio ingest / floor measures.
"""

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import settings  # noqa: E402
from ingest.load import delivery_files, kind_for  # noqa: E402

CHUNK = 1 << 20


def parse(exports: Path, scratch: Path) -> tuple[int, int]:
    """Read every file of ``exports`` into a table of an in-memory database; (files, rows)."""
    con = duckdb.connect(config={"memory_limit": settings.MEMORY_LIMIT,
                                 "temp_directory": str(scratch / "spill")})
    files = rows = 0
    for number, path in enumerate(delivery_files(exports)):
        kind = kind_for(path.name)
        if kind is None or path.stat().st_size == 0:
            continue
        table = f"file_{number}"
        if path.suffix.lower() == ".csv":
            source = path
            if kind.encoding != "utf-8":
                source = scratch / path.name
                with path.open(encoding=kind.encoding, newline="") as text, \
                        source.open("w", encoding="utf-8", newline="") as out:
                    shutil.copyfileobj(text, out, CHUNK)
            try:
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, delim = ?)",
                            [str(source), kind.delimiter])
            except duckdb.Error:
                continue  # a broken file of the delivery: ingest rejects it too
            finally:
                if source != path:
                    source.unlink()
        else:
            workbook = CalamineWorkbook.from_path(str(path))
            for index, sheet in enumerate(workbook.sheet_names):
                values = workbook.get_sheet_by_name(sheet).to_python()
                if not values:
                    continue
                header, body = [str(h) for h in values[0]], values[1:]
                columns = {f"c{i}_{h}": [None if r[i] in ("", None) else str(r[i]) for r in body]
                           for i, h in enumerate(header)}
                con.from_arrow(pa.table(columns)).create(f"{table}_{index}")
        files += 1
        rows += sum(n for (n,) in con.execute(
            "SELECT estimated_size FROM duckdb_tables() WHERE table_name LIKE ?",
            [f"{table}%"]).fetchall())
        for (name,) in con.execute("SELECT table_name FROM duckdb_tables() "
                                   "WHERE table_name LIKE ?", [f"{table}%"]).fetchall():
            con.execute(f"DROP TABLE {name}")  # keep the floor's memory to one file
    return files, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exports", type=Path, required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kedjan-floor-") as scratch:
        started = time.perf_counter()
        files, rows = parse(args.exports, Path(scratch))
        seconds = time.perf_counter() - started
    print(f"parse floor: {files} files, {rows:,} rows in {seconds:.1f} s")


if __name__ == "__main__":
    main()
