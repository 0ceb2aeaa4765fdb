"""``dbt build`` on the build file, in a child process that dies with the refresh.

Failures and per-node timings come from dbt's own record of the run,
``dbt_project/target/run_results.json``; its JSON log only drives the progress bar (and
names the error when dbt stopped before running any node, e.g. a model that does not
parse).
"""

import ctypes
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from rich.console import Console

import settings
from ingest.report import progress
from refresh import StageFailed

DBT_PROJECT = settings.REPO / "dbt_project"
RUN_RESULTS = DBT_PROJECT / "target" / "run_results.json"
PR_SET_PDEATHSIG = 1


def build(database: Path, console: Console, unit_tests: bool = True) -> list[str]:
    """``dbt build`` (seeds, models, data tests, and unit tests if ``unit_tests``) on
    ``database``, a progress bar per node; the tests that warned (``severity: warn``, e.g.
    a budget overspend), one line each. Raises StageFailed when dbt fails.

    dbt opens the database through a symbolic link whose name stays the same from one
    refresh to the next (the build file's name with the suffix ``.build``): dbt's partial
    parsing (target/partial_parse.msgpack) is void once the profile's path changes, and a
    full parse costs ~3 s per refresh. The link keeps the file's stem, DuckDB's name for
    the catalog, which dbt takes from the link's name.

    Unit tests check the models' code on fixed inputs, never the delivery: the refresh
    runs them when the code changed since the last publish, not on every new month.
    dbt runs in its own process, so no connection to the database outlives it here.
    """
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), "build", "--project-dir", str(DBT_PROJECT), "--profiles-dir",
               str(DBT_PROJECT), "--log-format", "json", "--no-use-colors"]
    if not unit_tests:
        command += ["--exclude-resource-type", "unit_test"]
    alias = database.with_suffix(".build")
    alias.unlink(missing_ok=True)
    alias.symlink_to(database.name)
    env = {**os.environ, "DBT_DUCKDB_PATH": str(alias), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "KEDJAN_MEMORY_LIMIT": settings.MEMORY_LIMIT}
    try:
        returncode, invocation, errors = _run(command, env, console)
    finally:
        alias.unlink(missing_ok=True)
    results = run_results(invocation) or []
    if returncode != 0:
        failed = [f"failed: {r['unique_id']}: {' '.join((r.get('message') or '').split())}"
                  for r in results if r["status"] in ("error", "fail")]
        details = failed or [e for e in errors if e][:20]
        raise StageFailed("dbt", "dbt build failed (models or tests); see the details, or run "
                                 "`dbt build` in dbt_project/ on the warehouse", details)
    seconds = {r["unique_id"]: round(r["execution_time"], 2) for r in results}
    if seconds:
        slowest = sorted(seconds.items(), key=lambda item: -item[1])[:3]
        console.print(f"dbt build: {len(seconds)} nodes, the slowest "
                      + ", ".join(f"{node} {s} s" for node, s in slowest))
    return warnings_of(results)


def _run(command: list[str], env: dict, console: Console) -> tuple[int, str | None, list[str]]:
    """Run dbt, a progress bar per node: its exit status, invocation id and error lines."""
    invocation, errors = None, []
    with progress(console) as bars, subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            preexec_fn=_die_with_parent) as dbt_run:
        task = bars.add_task("dbt build", total=None, current="")
        for line in dbt_run.stdout:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                errors.append(line.strip())
                continue
            info = event["info"]
            invocation = info.get("invocation_id", invocation)
            if info["name"] == "NodeFinished":
                node = event.get("data", {}).get("node_info", {})
                bars.update(task, advance=1, current=node.get("node_name", ""))
            elif info.get("level") == "error":
                errors.append(info.get("msg", "").strip())
    return dbt_run.returncode, invocation, errors


def warnings_of(results: list[dict]) -> list[str]:
    """The tests of a run (dbt's run_results.json) that warned, one line each."""
    return [f"dbt test {r['unique_id'].split('.')[2]}: {r.get('failures')} rows "
            f"({' '.join((r.get('message') or '').split())})"
            for r in results if r["status"] == "warn"]


def run_results(invocation_id: str | None = None) -> list[dict] | None:
    """The nodes of dbt's last run in this project (status, message, execution_time),
    or None when there is none, or it is not the run ``invocation_id`` names."""
    try:
        record = json.loads(RUN_RESULTS.read_text())
    except (OSError, json.JSONDecodeError):
        return None
    if invocation_id is not None and record["metadata"].get("invocation_id") != invocation_id:
        return None
    return record["results"]


def _die_with_parent() -> None:
    """In the dbt child: be killed when the refresh dies, so that a killed refresh leaves
    no process writing to its build file (Linux prctl PR_SET_PDEATHSIG)."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
