"""The lock file beside the warehouse: one refresh at a time, and the stage it is in."""

import contextlib
import datetime
import fcntl
import os
import time
from pathlib import Path

import duckdb

import settings
from refresh import StageFailed


class RefreshBusy(Exception):
    pass


class Lock:
    """An exclusive lock beside the warehouse; a second refresh refuses at once."""

    def __init__(self, warehouse: Path):
        self.path = settings.refresh_lock(warehouse)

    def __enter__(self):
        self.file = self.path.open("a+")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.seek(0)
            holder = self.file.read().strip() or "another process"
            self.file.close()
            raise RefreshBusy(
                f"Another refresh of this warehouse is running ({holder}). "
                "Wait for it to finish, then run the refresh again."
            ) from None
        self.file.truncate(0)
        self.file.write(f"pid {os.getpid()}, started {datetime.datetime.now():%Y-%m-%d %H:%M:%S}")
        self.file.flush()
        return self

    @contextlib.contextmanager
    def stage(self, name: str, seconds: dict):
        """Show the stage in the lock file, time it into ``seconds``, and turn a failed
        write into a stage failure."""
        self.file.truncate(0)
        self.file.write(f"pid {os.getpid()}, stage {name} since {datetime.datetime.now():%H:%M:%S}")
        self.file.flush()
        start = time.perf_counter()
        try:
            yield
        except (OSError, duckdb.IOException) as err:
            raise StageFailed(name, f"could not read or write a file ({err}). Check free disk "
                                    "space and permissions, then run the refresh again.") from None
        finally:
            seconds[name] = round(time.perf_counter() - start, 2)

    def __exit__(self, *exc):
        self.file.truncate(0)
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()
