"""The data steward's delivery: uploads checked, accepted into the delivery folder, refreshed.

The dashboard imports nothing from ingest or refresh (tests/test_layout.py); it meets them
as a user at a terminal would, through their commands and files:

- ``python -m ingest.check FILE…`` checks uploaded files with ingest's own reader and
  validation, in a child process that holds the clear personnummer for a moment and
  prints JSON without them (see ingest/check.py for why a process);
- accepted files are renamed into the delivery folder (``EXPORTS_DIR``) in one step, and
  who uploaded them when is appended to ``settings.uploads_log``, which the next load
  copies into the load log;
- ``python -m refresh`` runs as its own process, detached from the web server; its lock
  file (``settings.refresh_lock``) names the stage while it runs, and its result is the
  newest row of ops.refresh_history in the serving file it publishes.

Nothing here opens the warehouse or the serving file (dashboard/queries does, read-only).
"""

import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import settings

CHECK_TIMEOUT_SECONDS = 600
# Upload folders that no one accepted or discarded (a closed browser) hold clear
# personnummer: removed after this long.
ABANDONED_AFTER_SECONDS = 24 * 3600
# The refresh's stages in the order it runs them (refresh/pipeline.py); "start" is the
# check for anything new before the first stage.
STAGES = ("start", "ingest", "dbt", "validate", "publish")


class CheckFailed(RuntimeError):
    """The check command itself failed (not a bad file: those it reports)."""


def exports_dir() -> Path:
    return settings.exports_dir()


def upload_folder(session: str) -> Path:
    """This session's folder of uploaded files waiting for accept or discard (mode 0700)."""
    folder = settings.incoming(exports_dir()) / session
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.parent.chmod(0o700)
    return folder


def new_session_id() -> str:
    return uuid.uuid4().hex


def stage(folder: Path, name: str, data: bytes) -> Path:
    """Write an uploaded file into the session's upload folder (mode 0600)."""
    path = folder / Path(name).name  # a name, never a path the browser chose
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


def check(paths: list[Path]) -> list[dict]:
    """ingest's verdict on each file (``python -m ingest.check``), in order."""
    if not paths:
        return []
    done = subprocess.run([sys.executable, "-m", "ingest.check", *map(str, paths)],
                          cwd=settings.REPO, capture_output=True, text=True,
                          timeout=CHECK_TIMEOUT_SECONDS)
    if done.returncode != 0:
        raise CheckFailed(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else
                          f"exit status {done.returncode}")
    return json.loads(done.stdout)


def waiting_in_delivery(name: str, sha256: str) -> bool:
    """Whether the delivery folder already holds this very file (not loaded yet, maybe)."""
    path = exports_dir() / name
    if not path.is_file():
        return False
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest() == sha256


def accept(paths_and_sha: list[tuple[Path, str]], user: str) -> list[str]:
    """Move checked uploads into the delivery folder, recording who uploaded them and when;
    the names accepted. Each file appears there whole, in one rename, so a refresh that
    starts meanwhile never reads half a file."""
    target = exports_dir()
    log = settings.uploads_log(target)
    when = datetime.datetime.now().isoformat(timespec="seconds")
    accepted = []
    for path, sha in paths_and_sha:
        # The log line first: a file the refresh finds is never without its uploader.
        line = json.dumps({"file": path.name, "sha256": sha, "uploaded_by": user,
                           "uploaded_at": when}, ensure_ascii=False) + "\n"
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(line)
        os.replace(path, target / path.name)
        accepted.append(path.name)
    return accepted


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def remove_abandoned(now: float | None = None) -> None:
    """Remove upload folders older than ABANDONED_AFTER_SECONDS."""
    incoming = settings.incoming(exports_dir())
    if not incoming.is_dir():
        return
    now = time.time() if now is None else now
    for folder in incoming.iterdir():
        if folder.is_dir() and now - folder.stat().st_mtime > ABANDONED_AFTER_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Running:
    """A refresh that holds the lock: its pid, stage and since when (HH:MM:SS today)."""

    pid: int
    stage: str
    since: str


LOCK_TEXT = re.compile(r"pid (\d+), (?:stage (\w+) since (\S+)|started \S+ (\S+))")


def running() -> Running | None:
    """The refresh of WAREHOUSE running now, from its lock file, or None.

    The file is read, never locked, so that looking cannot make a refresh refuse; a
    refresh that was killed leaves text naming a process that is gone.
    """
    lock = settings.refresh_lock(settings.warehouse())
    try:
        found = LOCK_TEXT.match(lock.read_text(encoding="utf-8", errors="replace"))
    except FileNotFoundError:
        return None
    if not found:
        return None
    pid = int(found.group(1))
    if not process_alive(pid):
        return None
    return Running(pid, found.group(2) or "start", found.group(3) or found.group(4))


def start_refresh() -> tuple[int, int]:
    """Start ``python -m refresh`` on EXPORTS_DIR and WAREHOUSE as its own process; its
    pid and the offset in the output file where its output begins.

    The process is detached (its own session) so that a restart of the web server does
    not kill it mid-stage; a thread of this server waits for it so it leaves no zombie.
    """
    warehouse = settings.warehouse()
    output = settings.refresh_output(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "ab") as out:
        offset = out.seek(0, os.SEEK_END)
        process = subprocess.Popen(
            [sys.executable, "-m", "refresh", "--exports-dir", str(exports_dir()),
             "--warehouse", str(warehouse)],
            cwd=settings.REPO, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    threading.Thread(target=process.wait, daemon=True).start()
    return process.pid, offset


def refresh_output(offset: int) -> str:
    """What the refresh started at ``offset`` printed (its last 4,000 characters)."""
    try:
        with settings.refresh_output(settings.warehouse()).open("rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", errors="replace")[-4000:]
    except FileNotFoundError:
        return ""


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (also as another user: the scheduled refresh)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A child of this server that ended but is not reaped yet is a zombie: ended.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False
