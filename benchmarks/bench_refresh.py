"""Benchmark the refresh on generated exports: prints figures, asserts nothing.

    python benchmarks/bench_refresh.py --scale stockholm [--month 2013-12]

Four runs on one warehouse, each a real `python -m refresh` process:
1. first refresh of every file up to the month before ``--month``;
2. one new month arrives (the files of ``--month``): the incremental case;
3. the same delivery again: every file a no-op;
4. for comparison, `dbt build --full-refresh` on the same warehouse, i.e. rebuilding the
   monthly timeline and history from scratch.
Per-stage seconds come from the refresh history. Results are also appended as one JSON
line to benchmarks/results/refresh.jsonl.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import settings  # noqa: E402
from ingest.generate import SCALES, generate  # noqa: E402
from refresh.dbt import run_results  # noqa: E402


TIMELINE = "model.kedjan.int_person_months_tracked"  # the incremental monthly timeline


def timeline_seconds() -> float | None:
    """Seconds the last dbt run spent on the monthly timeline (dbt's run_results.json)."""
    return next((round(r["execution_time"], 2) for r in run_results() or []
                 if r["unique_id"] == TIMELINE), None)


def refresh(exports: Path, warehouse: Path, env: dict) -> dict:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "refresh", "--exports-dir", str(exports),
                           "--warehouse", str(warehouse)], cwd=REPO, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    with duckdb.connect(str(settings.serving(warehouse)), read_only=True) as con:
        result, stages = con.execute("SELECT result, stage_seconds FROM ops.refresh_history "
                                     "ORDER BY started_at DESC, run_id DESC LIMIT 1").fetchall()[0]
    return {"seconds": round(seconds, 1), "exit": done.returncode, "result": result,
            "stages": json.loads(stages), "timeline_s": timeline_seconds()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="stockholm")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--month", default="2013-12", help="the month that arrives (YYYY-MM)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kedjan-bench-"))
    env = {**os.environ, "KEDJAN_PSEUDONYM_KEY": "benchmark-key"}
    try:
        full = work / "full"
        manifest = generate(args.scale, args.seed, full, until=args.month)
        before = work / "before"
        before.mkdir()
        for name, info in manifest["files"].items():
            if info["export_date"][:7] < args.month:
                shutil.copy(full / name, before / name)
        warehouse = work / "warehouse.duckdb"
        runs = {"first": refresh(before, warehouse, env),
                "new_month": refresh(full, warehouse, env),
                "no_op": refresh(full, warehouse, env)}
        start = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("dbt")), "build", "--full-refresh",
                        "--project-dir", "dbt_project", "--profiles-dir", "dbt_project", "--quiet"],
                       cwd=REPO, env={**env, "DBT_DUCKDB_PATH": str(warehouse)}, check=False)
        full_rebuild = round(time.perf_counter() - start, 1)
        timeline_full = timeline_seconds()
        rows = sum(info["rows"] for info in manifest["files"].values())
        figures = {"scale": args.scale, "files": len(manifest["files"]), "rows": rows,
                   "runs": runs, "dbt_full_refresh_s": full_rebuild,
                   "timeline_full_refresh_s": timeline_full,
                   "warehouse_bytes": warehouse.stat().st_size,
                   "serving_bytes": settings.serving(warehouse).stat().st_size,
                   "cores": os.cpu_count()}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"scale {figures['scale']}: {figures['files']} files, {figures['rows']:,} rows")
    for name, run in runs.items():
        stages = ", ".join(f"{k} {v} s" for k, v in run["stages"].items())
        print(f"  {name:<10} {run['seconds']:>7} s  exit {run['exit']} {run['result']:<9} ({stages}; "
              f"monthly timeline model {run['timeline_s']} s)")
    print(f"  dbt build with the timeline rebuilt from scratch (--full-refresh): {full_rebuild} s "
          f"(monthly timeline model {timeline_full} s)")
    print(f"  warehouse {figures['warehouse_bytes']:,} bytes, serving file {figures['serving_bytes']:,} bytes")
    results = REPO / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    with (results / "refresh.jsonl").open("a") as out:
        out.write(json.dumps(figures) + "\n")


if __name__ == "__main__":
    main()
