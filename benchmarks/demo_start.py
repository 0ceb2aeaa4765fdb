"""How long ``make demo`` takes, once ``make setup`` has finished, until its first page is
drawn in the browser: prints figures, asserts nothing.

    python benchmarks/demo_start.py [--repeats N]

or ``from benchmarks.demo_start import measure``. Each run is the README's first command as
a new user runs it (``make demo``: generate the demo exports, refresh, start the dashboard),
into a fresh folder (EXPORTS_DIR, WAREHOUSE) and on a free port, so nothing of an earlier
run is reused but the set-up and dbt's parse of the project. The clock starts as ``make``
starts and stops when Debian's Chromium, polling the port, shows Översikt settled (the
script run done, its heading drawn; tests/live.py's ``SETTLED``); ``server_answered_s`` is
when the dashboard's port first answered. The refresh's own stage seconds come from its
history row.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for tests.live, which is not installed

import duckdb

import settings
from tests.live import SETTLED, chromium, free_port


def demo_start(browser) -> dict:
    """One ``make demo`` in a fresh folder: seconds to the first page, and the refresh's."""
    with tempfile.TemporaryDirectory(prefix="kedjan-demo-") as folder:
        warehouse = Path(folder, "warehouse.duckdb")
        port = free_port()
        env = {**os.environ, "EXPORTS_DIR": str(Path(folder, "exports")),
               "WAREHOUSE": str(warehouse)}
        log = Path(folder, "make.log").open("wb")
        started = time.perf_counter()
        make = subprocess.Popen(["make", "demo", f"PORT={port}"], cwd=REPO, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            tab = browser.new_page(viewport={"width": 1400, "height": 900})
            while True:  # the port answers once the refresh is done and streamlit is up
                if make.poll() is not None:
                    raise RuntimeError(f"make demo ended ({make.returncode}): "
                                       + Path(folder, "make.log").read_text()[-2000:])
                try:
                    tab.goto(f"http://127.0.0.1:{port}", timeout=5_000)
                    answered = time.perf_counter() - started
                    break
                except Exception:  # noqa: BLE001 - not listening yet
                    time.sleep(0.2)
            tab.wait_for_function(SETTLED, timeout=120_000)
            seconds = time.perf_counter() - started
            tab.close()
        finally:
            os.killpg(make.pid, signal.SIGTERM)
            make.wait()
            log.close()
        with duckdb.connect(str(settings.serving(warehouse)), read_only=True) as con:
            stages = con.execute("SELECT stage_seconds FROM ops.refresh_history").fetchall()[0][0]
    return {"seconds": round(seconds, 2), "server_answered_s": round(answered, 2),
            "refresh_stages": json.loads(stages)}


def measure(repeats: int = 3) -> dict:
    """``repeats`` runs of ``make demo`` to its first page, with their median."""
    with chromium() as browser:
        runs = [demo_start(browser) for _ in range(repeats)]
    return {"runs": runs, "median_s": statistics.median(r["seconds"] for r in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    print(json.dumps(measure(parser.parse_args().repeats), indent=1))


if __name__ == "__main__":
    main()
