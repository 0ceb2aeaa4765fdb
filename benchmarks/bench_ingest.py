"""Benchmark the refresh on generated exports: prints figures, asserts nothing.

    python benchmarks/bench_ingest.py --scale stockholm [--keep DIR]

Measures: a first refresh of the whole delivery, a second refresh of the same delivery
(every file a no-op), and the warehouse size. Results are also appended as one JSON line
to benchmarks/results/ingest.jsonl.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(args, env=None) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=False, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="stockholm")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="kedjan-bench-"))
    exports, warehouse = work / "exports", work / "warehouse.duckdb"
    env = {**os.environ, "KEDJAN_PSEUDONYM_KEY": "benchmark-key"}
    python = sys.executable
    generate = timed([python, "-m", "ingest.generate", "--scale", args.scale,
                      "--seed", str(args.seed), "--out", str(exports)], env)
    files = list(exports.iterdir())
    first = timed([python, "-m", "ingest", "--exports-dir", str(exports),
                   "--warehouse", str(warehouse)], env)
    second = timed([python, "-m", "ingest", "--exports-dir", str(exports),
                    "--warehouse", str(warehouse)], env)
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("SELECT sum(rows_read) FROM raw.load_log WHERE status = 'loaded'"
                           ).fetchall()[0][0]
    figures = {
        "scale": args.scale, "files": len(files),
        "export_bytes": sum(f.stat().st_size for f in files), "rows_read": rows,
        "generate_s": round(generate, 1), "first_refresh_s": round(first, 1),
        "rows_per_s": round(rows / first), "second_refresh_s": round(second, 1),
        "warehouse_bytes": warehouse.stat().st_size, "cores": os.cpu_count(),
    }
    for name, value in figures.items():
        print(f"{name:>18}: {value:,}" if isinstance(value, (int, float)) else f"{name:>18}: {value}")
    results = REPO / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    with (results / "ingest.jsonl").open("a") as out:
        out.write(json.dumps(figures) + "\n")


if __name__ == "__main__":
    main()
