"""Wall time and peak memory of a command and every process it starts.

Peak memory is the largest sum of the resident set sizes (RSS) of the process tree, read
from /proc every ``INTERVAL`` seconds: a refresh's dbt child counts with its parent. When a
``stage_file`` is given (the refresh's lock file, which names the stage it is in), each
sample is also credited to the stage named there, so a refresh gives peaks per stage.
"""

import os
import re
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

INTERVAL = 0.25  # seconds between samples
PAGE = os.sysconf("SC_PAGE_SIZE")
STAGE = re.compile(r"stage (\w+)")


@dataclass
class Measured:
    seconds: float
    exit_code: int
    peak_rss: int  # bytes, the whole process tree
    stage_peak_rss: dict[str, int] = field(default_factory=dict)
    killed: str | None = None  # why the command was stopped early, if it was
    stdout: str = ""
    stderr: str = ""


def tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and all its descendants now."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            pages = int(Path(entry.path, "statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
        pid = int(entry.name)
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def run(command: list[str], *, env: dict | None = None, cwd: Path | None = None,
        stage_file: Path | None = None, rss_cap: int | None = None,
        timeout: float | None = None) -> Measured:
    """Run ``command`` to its end, sampling its process tree's memory.

    ``rss_cap`` (bytes) and ``timeout`` (seconds) stop a command that would exhaust the
    machine (the pandas baseline at national scale): it is killed and ``killed`` says why.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    peaks: dict[str, int] = {}
    peak = [0]
    killed: list[str] = []
    done = threading.Event()

    def sample():
        while not done.wait(INTERVAL):
            now = tree_rss(process.pid)
            peak[0] = max(peak[0], now)
            if stage_file is not None:
                try:
                    found = STAGE.search(stage_file.read_text())
                except OSError:
                    found = None
                if found:
                    peaks[found[1]] = max(peaks.get(found[1], 0), now)
            if rss_cap is not None and now > rss_cap:
                killed.append(f"memory above {rss_cap / 2**30:.0f} GiB")
            elif timeout is not None and time.perf_counter() - started > timeout:
                killed.append(f"still running after {timeout:.0f} s")
            if killed:
                subprocess.run(["pkill", "-KILL", "-P", str(process.pid)], check=False)
                process.kill()
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    return Measured(round(time.perf_counter() - started, 2), process.returncode, peak[0], peaks,
                    killed[0] if killed else None, stdout, stderr)
