"""The pandas baseline (benchmarks/pandas_baseline.py) agrees with the marts.

The baseline recomputes T1, T2 and the funnel's step counts from the export files with
plain pandas, independently of ingest and dbt. Running it on the demo warehouse keeps both
honest: a change to either that moves a figure shows up here.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "pandas_baseline.py"


def test_baseline_equals_the_marts(demo_warehouse, tmp_path):
    # demo_warehouse was refreshed from the generated exports beside it (with a 0-byte
    # file the refresh rejects, which the baseline must leave out too).
    exports = demo_warehouse.parent / "exports"
    summary = tmp_path / "baseline.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--exports", str(exports),
         "--warehouse", str(demo_warehouse), "--json", str(summary)],
        capture_output=True, text=True, check=False)
    result = json.loads(summary.read_text())
    assert done.returncode == 0 and result["equal"], done.stdout + done.stderr
    # Every ETST month is compared, and both projects' funnels.
    assert result["t1_rows"] == result["t2_rows"] == 54
    assert result["funnel_rows"] == 2
