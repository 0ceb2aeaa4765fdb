"""``make bench``: the refresh, the parse floor, a pandas baseline and the pages, measured.

    python -m benchmarks.run [--scales stockholm national] [--seed 1]

Per scale, on generated exports (cached under ``benchmarks/.cache/``, made once):
1. a full refresh of every file but those of the last month, per stage (ingest, dbt,
   validate, publish): wall seconds from the refresh history, peak RSS of the process tree
   sampled while the lock file names the stage, delivered rows per second;
2. the last month arriving on top of that warehouse (one new month), then the same
   delivery again (nothing new);
3. the parse floor of the whole delivery (benchmarks/parse_floor.py) and ingest as a
   ratio of it (the ingest stage of run 1 against the floor of the same files);
4. the pandas baseline (benchmarks/pandas_baseline.py: T1, T2 and the funnel's step
   counts from the export files) with its time and peak memory, and whether its numbers
   equal the marts; it is stopped above ``BASELINE_CAP`` of memory;
5. every page's render time (benchmarks/pages.py), cold and warm.
Before the scales, ``make demo`` to its first page in the browser (benchmarks/demo_start.py).
Every command is a real process; nothing is asserted, the figures are written to
``benchmarks/results/<scale>.json`` (``make_demo.json``) and ``benchmarks/results/README.md``.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

import settings
from benchmarks import measure
from ingest.generate import SCALES
from refresh.lock import Lock

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "benchmarks" / ".cache"
RESULTS = REPO / "benchmarks" / "results"
DEMO = RESULTS / "make_demo.json"  # not named after a scale: the scales' files are <scale>.json
PY = sys.executable
BASELINE_CAP = 20 * 2**30  # bytes: leave the machine (24 GB) room to breathe
REST = "publish and start-up (rest)"


def delivery(scale: str, seed: int) -> tuple[Path, Path, dict]:
    """The cached delivery of ``scale``: (every file, every file but the last month's,
    the generator's manifest). Generated once; the partial folder holds hard links."""
    root = CACHE / f"{scale}-s{seed}"
    full, before, manifest = root / "exports", root / "before", root / "manifest.json"
    if not manifest.is_file():
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        print(f"generating the {scale} delivery (once; cached in {root})", flush=True)
        subprocess.run([PY, "-m", "ingest.generate", "--scale", scale, "--seed", str(seed),
                        "--out", str(full), "--manifest", str(root / "manifest.tmp")],
                       cwd=REPO, check=True)
        files = json.loads((root / "manifest.tmp").read_text())["files"]
        last = max(info["export_date"][:7] for info in files.values())
        before.mkdir()
        for name, info in files.items():
            if info["export_date"][:7] < last:
                os.link(full / name, before / name)
        (root / "manifest.tmp").rename(manifest)
    return full, before, json.loads(manifest.read_text())


def refresh(exports: Path, warehouse: Path, env: dict) -> dict:
    """One ``python -m refresh``, measured; its history row's stage seconds."""
    run = measure.run([PY, "-m", "refresh", "--exports-dir", str(exports), "--warehouse",
                       str(warehouse)], env=env, cwd=REPO, stage_file=Lock(warehouse).path)
    with duckdb.connect(str(settings.serving(warehouse)), read_only=True) as con:
        result, stages, rows = con.execute(
            "SELECT result, stage_seconds, rows_read FROM ops.refresh_history "
            "ORDER BY started_at DESC, run_id DESC LIMIT 1").fetchall()[0]
    if run.exit_code not in (0, 1):
        print(run.stderr[-3000:], file=sys.stderr)
    stages = {name: {"seconds": seconds, "peak_rss": run.stage_peak_rss.get(name)}
              for name, seconds in json.loads(stages).items()}
    # Publishing ends after the history row is written, so it has no seconds of its own
    # there: the rest of the wall time is publish plus the process's start.
    stages[REST] = {"seconds": round(run.seconds - sum(s["seconds"] for s in stages.values()), 2),
                    "peak_rss": run.stage_peak_rss.get("publish")}
    return {"seconds": run.seconds, "exit": run.exit_code, "result": result,
            "rows_read": rows, "peak_rss": run.peak_rss, "stages": stages}


def bench(scale: str, seed: int, repeats: int) -> dict:
    full, before, manifest = delivery(scale, seed)
    rows = sum(info["rows"] for info in manifest["files"].values())
    work = CACHE / f"{scale}-s{seed}" / "run"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    warehouse = work / "warehouse.duckdb"
    env = {**os.environ, "KEDJAN_PSEUDONYM_KEY": "benchmark-key"}
    figures: dict = {"scale": scale, "seed": seed, "files": len(manifest["files"]),
                     "rows": rows}
    print(f"[{scale}] full refresh", flush=True)
    figures["full"] = refresh(before, warehouse, env)
    print(f"[{scale}] one new month", flush=True)
    figures["new_month"] = refresh(full, warehouse, env)
    print(f"[{scale}] nothing new", flush=True)
    figures["nothing_new"] = refresh(full, warehouse, env)
    print(f"[{scale}] parse floor", flush=True)
    floor = measure.run([PY, "benchmarks/parse_floor.py", "--exports", str(before)], cwd=REPO)
    figures["parse_floor"] = {"seconds": floor.seconds, "peak_rss": floor.peak_rss,
                              "exit": floor.exit_code}
    print(f"[{scale}] pandas baseline", flush=True)
    out = work / "baseline.json"
    baseline = measure.run([PY, "benchmarks/pandas_baseline.py", "--exports", str(full),
                            "--warehouse", str(warehouse), "--json", str(out)], cwd=REPO,
                           rss_cap=BASELINE_CAP)
    figures["pandas_baseline"] = {
        "seconds": baseline.seconds, "peak_rss": baseline.peak_rss, "exit": baseline.exit_code,
        "stopped": baseline.killed,
        "equal_to_marts": json.loads(out.read_text())["equal"] if out.is_file() else None}
    print(f"[{scale}] pages", flush=True)
    from benchmarks.pages import measure as pages
    figures["pages"] = pages(warehouse, repeats=repeats, modes=("apptest",))
    try:  # the browser's figures depend on seeing each run start: report when it fails
        figures["pages"] += pages(warehouse, repeats=repeats, modes=("browser",))
    except Exception as err:
        figures["browser_error"] = f"{type(err).__name__}: {str(err)[:300]}"
    shutil.rmtree(work, ignore_errors=True)
    return figures


def machine() -> dict:
    memory = next(int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").open()
                  if line.startswith("MemTotal"))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                            capture_output=True, text=True).stdout.strip()
    return {"cores": os.cpu_count(), "memory": memory, "python": platform.python_version(),
            "commit": commit, "date": datetime.datetime.now().isoformat(timespec="seconds")}


def gib(n: int | None) -> str:
    return "–" if n is None else f"{n / 2**30:.2f} GiB"


def markdown(runs: list[dict], demo: dict) -> str:
    """The results as the Markdown tables of benchmarks/results/README.md."""
    lines = ["# Benchmarks", "", "Written by `make bench`. Peak RSS is the whole process "
             f"tree, sampled every {measure.INTERVAL} s.", ""]
    host = demo["machine"]
    lines += ["## make demo, to its first page in the browser", "",
              f"{host['date']}, commit {host['commit']}: median **{demo['median_s']} s** "
              f"over {len(demo['runs'])} runs ("
              + "; ".join(f"{r['seconds']} s: refresh {sum(r['refresh_stages'].values()):.1f} s "
                          f"({', '.join(f'{k} {v}' for k, v in r['refresh_stages'].items())}), "
                          f"server answered at {r['server_answered_s']} s"
                          for r in demo["runs"]) + ").", ""]
    for f in runs:
        full, host = f["full"], f["machine"]
        lines += [f"## {f['scale']} ({f['files']} files, {f['rows']:,} rows)", "",
                  f"{host['date']}, commit {host['commit']}: {host['cores']} cores, "
                  f"{gib(host['memory'])} memory, Python {host['python']}.", "",
                  "| run | stage | seconds | peak RSS | rows/s |", "|---|---|---|---|---|"]
        for run in ("full", "new_month", "nothing_new"):
            r = f[run]
            for stage, s in r["stages"].items():
                rate = (f"{r['rows_read'] / s['seconds']:,.0f}"
                        if s["seconds"] and r["rows_read"] else "–")
                lines.append(f"| {run} | {stage} | {s['seconds']} | {gib(s['peak_rss'])} "
                             f"| {'' if stage == REST else rate} |")
            lines.append(f"| {run} | **total** ({r['result']}) | **{r['seconds']}** | "
                         f"**{gib(r['peak_rss'])}** | |")
        floor = f["parse_floor"]
        ingest = full["stages"].get("ingest", {}).get("seconds")
        ratio = f"{ingest / floor['seconds']:.1f}×" if ingest and floor["seconds"] else "–"
        base = f["pandas_baseline"]
        lines += ["", f"- new month / full refresh: "
                  f"{100 * f['new_month']['seconds'] / full['seconds']:.0f} %",
                  f"- parse floor {floor['seconds']} s, {gib(floor['peak_rss'])}; "
                  f"ingest {ingest} s = {ratio} the floor",
                  f"- pandas baseline (T1, T2, funnel steps): {base['seconds']} s, "
                  f"{gib(base['peak_rss'])}, equal to the marts: {base['equal_to_marts']}"
                  + (f" (stopped: {base['stopped']})" if base["stopped"] else ""), "",
                  "| page | role | mode | cold s | warm median s | warm p95 s |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {p['page']} | {p['role']} | {p['mode']} | {p['cold_s']:.3f} | "
                  f"{p['warm_median_s']:.3f} | {p['warm_p95_s']:.3f} |" for p in f["pages"]]
        if f.get("browser_error"):
            lines += ["", f"The browser's figures failed: {f['browser_error']}"]
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", default=["stockholm", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=10, help="warm loads per page")
    args = parser.parse_args()
    host = machine()
    RESULTS.mkdir(parents=True, exist_ok=True)
    print("[demo] make demo to its first page", flush=True)
    from benchmarks.demo_start import measure as demo_start
    demo = {**demo_start(), "machine": host}
    DEMO.write_text(json.dumps(demo, indent=1) + "\n")
    for scale in args.scales:
        figures = {**bench(scale, args.seed, args.repeats), "machine": host}
        (RESULTS / f"{scale}.json").write_text(json.dumps(figures, indent=1) + "\n")
        # Every scale's latest figures, the ones of earlier runs included.
        runs = [json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"),
                                                          key=lambda p: SCALES.get(p.stem, 0))
                if p.stem in SCALES]
        (RESULTS / "README.md").write_text(markdown(runs, demo))
    print((RESULTS / "README.md").read_text())


if __name__ == "__main__":
    main()
