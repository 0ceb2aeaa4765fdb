"""The private folder: the only place a load may write anything that holds clear personnummer.

``.<database name>.private-<run id>/`` beside the database being loaded, mode 0700, removed
when the load ends. It is DuckDB's ``temp_directory`` for the in-memory database in which
ingest pseudonymises (``ingest.load.connect``), so should that database outgrow memory its
spill files stay there and not in the working directory (DuckDB's default ``.tmp``).
Decoded Windows-1252 text never reaches the disk at all (``ingest.readers``).

A process killed with SIGKILL cannot remove its folder: the next refresh does, with
``remove_leftovers``, before it loads anything.
"""

import contextlib
import shutil
from pathlib import Path


@contextlib.contextmanager
def folder(database: Path, run_id: str):
    """Create the private folder of a load into ``database``; remove it afterwards."""
    path = database.with_name(f".{database.name}.private-{run_id}")
    path.mkdir(mode=0o700)
    path.chmod(0o700)  # whatever the umask
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def remove_leftovers(database: Path) -> None:
    """Remove the private folders that loads into ``database`` left behind."""
    for leftover in database.parent.glob(f".{database.name}.private-*"):
        shutil.rmtree(leftover, ignore_errors=True)
