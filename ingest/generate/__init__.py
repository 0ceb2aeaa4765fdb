"""Synthetic exports: every file kind of ../shared/spec/exports.md, in its exact format.

People follow the chain of projects.md (permit, registration, plan, activities, employer
contacts, work or studies, economic assistance); a share of rows carries one defect each,
and an optional manifest tells tests the truth about every file.

    python -m ingest.generate --scale demo --seed 1 --out data/exports --manifest m.json
"""

import json
import zlib
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import Progress

from ingest.generate import defects, tables, world, writers

SCALES = {"demo": 2_000, "stockholm": 50_000, "national": 1_000_000}  # participants


def generate(scale="demo", seed=1, out="data/exports", bad_share=0.005, until=None,
             manifest=None, participants=None) -> dict:
    """Write the files dated up to the end of month ``until`` (YYYY-MM; None = all) and
    return the manifest. ``participants`` overrides the scale's number (for tests)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    people = world.build(participants or SCALES[scale], seed)
    files = tables.plan(people)
    if until is not None:
        last_day = world.month_end(np.datetime64(until, "M"))
        files = [f for f in files if f.date <= last_day]
    written = {}
    with Progress(console=Console(stderr=True)) as progress:
        tasks = {}
        for f in files:  # one bar per kind, in the plan's order
            if f.kind.name not in tasks:
                total = sum(g.kind is f.kind for g in files)
                tasks[f.kind.name] = progress.add_task(f.kind.name, total=total)
        for f in files:
            # One generator per file: its rows do not depend on which other files are written.
            rng = np.random.default_rng([seed, zlib.crc32(f.name.encode())])
            sheets, bad = defects.inject(f.build(people, f, rng), f.kind, bad_share, rng)
            writers.write(out / f.name, f, sheets, rng)
            written[f.name] = {"kind": f.kind.name, "export_date": str(f.date),
                               "rows": sum(len(columns[0]) for columns in sheets), "bad": bad}
            progress.advance(tasks[f.kind.name])
    result = {"scale": scale, "seed": seed, "bad_share": bad_share, "until": until,
              "files": written}
    if manifest is not None:
        Path(manifest).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return result
