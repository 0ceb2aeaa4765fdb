"""Time the export generator: python benchmarks/bench_generate.py [--scale stockholm].

Writes into a temporary directory (deleted afterwards) and prints wall time, files, rows
and bytes. Timings are reported, never asserted.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.generate import SCALES, generate  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=list(SCALES), default="stockholm")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kedjan-bench-") as out:
        start = time.perf_counter()
        manifest = generate(args.scale, args.seed, out)
        seconds = time.perf_counter() - start
        files = manifest["files"]
        rows = sum(f["rows"] for f in files.values())
        size = sum(p.stat().st_size for p in Path(out).iterdir())
    print(f"scale {args.scale}: {seconds:.1f} s wall, {len(files)} files, {rows:,} rows, "
          f"{size / 1e6:,.1f} MB")


if __name__ == "__main__":
    main()
