"""The refresh as a data steward runs it: real processes, real dbt, real Great Expectations.

Each scenario starts from the same published warehouse (generated exports up to June
2012), delivers July 2012 with a fault, and asserts the exit status and message, that
every input row is in raw or in quarantine, and that the published data is unchanged (on
failure) or updated (on success).
"""

import contextlib
import os
import random
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

import settings
from ingest.generate import generate
from ingest.sources import PNR, kind_for
from refresh.dbt import run_results

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
KEY = "refresh-test-key"


def refresh_process(exports: Path, warehouse: Path, **popen) -> subprocess.Popen:
    env = {**os.environ, "KEDJAN_PSEUDONYM_KEY": KEY}
    return subprocess.Popen([sys.executable, "-m", "refresh", "--exports-dir", str(exports),
                             "--warehouse", str(warehouse)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen)


def refresh(exports: Path, warehouse: Path, **popen) -> tuple[int, str]:
    process = refresh_process(exports, warehouse, **popen)
    output, _ = process.communicate(timeout=900)
    return process.returncode, " ".join(output.split())


def published(warehouse: Path) -> dict:
    """What the dashboard would show: every mart's rows, from the serving file."""
    with duckdb.connect(str(settings.serving(warehouse)), read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'").fetchall()]
        return {t: con.execute(f'SELECT * FROM marts."{t}" ORDER BY ALL').fetchall() for t in tables}


def history(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(settings.serving(warehouse)), read_only=True) as con:
        return con.execute("SELECT result, failed_stage, message FROM ops.refresh_history "
                           "ORDER BY started_at, run_id").fetchall()


def assert_every_row_accounted(warehouse: Path, manifest: dict, changed: dict | None = None):
    """Rows read = loaded + merged + quarantined, and rows read = rows delivered."""
    delivered = {name: info["rows"] for name, info in manifest["files"].items()}
    delivered.update(changed or {})
    with duckdb.connect(str(warehouse), read_only=True) as con:
        loads = con.execute("SELECT file, rows_read, rows_loaded, rows_merged, rows_quarantined "
                            "FROM raw.load_log WHERE status = 'loaded'").fetchall()
        for file, read, loaded, merged, quarantined in loads:
            assert read == loaded + merged + quarantined, file
            assert read == delivered[file], file
            in_raw = con.execute("SELECT count(DISTINCT (file, row_number)) FROM raw.quarantine "
                                 "WHERE file = ?", [file]).fetchall()[0][0]
            assert in_raw == quarantined, file


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory):
    """June 2012 as published, and the same plus July's files."""
    root = tmp_path_factory.mktemp("deliveries")
    july = root / "july"
    manifest = generate(scale="demo", seed=3, out=july, until="2012-07", participants=400,
                        bad_share=0.01)
    june = root / "june"
    june.mkdir()
    for path in july.iterdir():
        if manifest["files"][path.name]["export_date"] <= "2012-06-30":
            shutil.copy(path, june / path.name)
    warehouse = root / "published" / "warehouse.duckdb"
    status, output = refresh(june, warehouse)
    assert status == 0, output
    return root, june, july, warehouse, manifest


@pytest.fixture
def setup(deliveries, tmp_path):
    """A private copy of the published June warehouse and of July's delivery."""
    root, june, july, warehouse, manifest = deliveries
    mine = tmp_path / "wh" / "warehouse.duckdb"
    mine.parent.mkdir()
    for path in (warehouse, settings.serving(warehouse)):
        shutil.copy(path, mine.with_name(path.name))
    exports = tmp_path / "exports"
    shutil.copytree(july, exports)
    return exports, mine, manifest


def node_types() -> set[str]:
    """The kinds of dbt node the last refresh's dbt build ran (dbt's run_results.json)."""
    return {r["unique_id"].split(".")[0] for r in run_results()}


def lock_text(warehouse: Path) -> str:
    """What the refresh's lock file says (its stage), or '' before it exists."""
    lock = settings.refresh_lock(warehouse)
    return lock.read_text(errors="replace") if lock.exists() else ""


def july_file(exports: Path, prefix: str) -> Path:
    return next(p for p in sorted(exports.iterdir()) if p.name.startswith(prefix) and "201207" in p.name)


def test_a_new_month_is_published(setup):
    exports, warehouse, manifest = setup
    before = published(warehouse)
    status, output = refresh(exports, warehouse)
    assert status == 0, output
    assert published(warehouse) != before
    assert [h[0] for h in history(warehouse)] == ["published", "published"]
    assert_every_row_accounted(warehouse, manifest)
    # The code is as at the last publish: dbt's unit tests (of the code) are not rerun.
    assert node_types() == {"seed", "model", "test"}


def test_the_same_delivery_twice_changes_nothing(setup, tmp_path, monkeypatch):
    exports, warehouse, manifest = setup
    assert refresh(exports, warehouse)[0] == 0
    after_first = published(warehouse)
    warehouse_bytes = warehouse.read_bytes()
    runs = len(history(warehouse))
    status, output = refresh(exports, warehouse)
    assert status == 0, output
    assert "Nothing new" in output
    assert published(warehouse) == after_first
    assert warehouse.read_bytes() == warehouse_bytes  # not rebuilt, not republished
    assert history(warehouse)[runs:] == [("unchanged", None, "nothing new: every file was "
                                          "loaded before, code and config unchanged")]
    # A changed target is not nothing new: the next refresh rebuilds and publishes.
    changed = tmp_path / "projects.yml"
    changed.write_text(settings.PROJECTS_CONFIG.read_text(encoding="utf-8")
                       .replace("target: 30\n", "target: 31\n", 1), encoding="utf-8")
    monkeypatch.setenv("KEDJAN_PROJECTS_CONFIG", str(changed))
    status, output = refresh(exports, warehouse)
    assert status == 0, output
    assert history(warehouse)[-1][0] == "published"
    assert "unit_test" in node_types()  # built with other config: the unit tests run again


@pytest.mark.parametrize("stage", ["ingest", "dbt", "validate", "publish"])
def test_killed_during_a_stage_leaves_the_published_data_and_the_next_refresh_succeeds(setup, stage):
    exports, warehouse, manifest = setup
    before = published(warehouse)
    for _attempt in range(3):
        process = refresh_process(exports, warehouse)
        while process.poll() is None and f"stage {stage}" not in lock_text(warehouse):
            time.sleep(0.002)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
            break
    else:
        pytest.fail(f"the refresh never stayed long enough in stage {stage} to be killed")
    after = published(warehouse)  # readable, and old or (killed mid-publish) new
    if stage != "publish":
        assert after == before
    status, output = refresh(exports, warehouse)
    assert status == 0, output
    assert published(warehouse) != before
    assert_every_row_accounted(warehouse, manifest)


def test_a_file_cut_off_mid_line_quarantines_the_last_row(setup):
    exports, warehouse, manifest = setup
    path = july_file(exports, "af_manadsstatus")
    data = path.read_bytes().rstrip(b"\r\n")
    path.write_bytes(data[: data.rfind(b";")])  # the last line loses its last field
    status, output = refresh(exports, warehouse)
    assert status == 0, output
    with duckdb.connect(str(warehouse), read_only=True) as con:
        reasons = con.execute("SELECT reason FROM raw.quarantine WHERE file = ? AND reason = "
                              "'missing_fields'", [path.name]).fetchall()
    assert reasons == [("missing_fields",)]
    assert_every_row_accounted(warehouse, manifest)


def test_empty_and_zero_byte_files(setup):
    exports, warehouse, manifest = setup
    header_only = july_file(exports, "af_avaktiveringar")
    header_only.write_bytes(header_only.read_bytes().splitlines(keepends=True)[0])
    zero = july_file(exports, "af_jamforelsegrupp")
    zero.write_bytes(b"")
    before = published(warehouse)
    status, output = refresh(exports, warehouse)
    assert status == 1
    assert f"{zero.name}: the file is empty (0 bytes)" in output
    assert published(warehouse) != before  # the other files are published
    assert_every_row_accounted(warehouse, manifest, {header_only.name: 0})


def test_corrupt_workbook_and_wrong_encoding_are_rejected_the_rest_published(setup):
    exports, warehouse, manifest = setup
    workbook = exports / "partner_ocn_intyg_20120731.xlsx"  # a workbook cut off after 500 bytes
    workbook.write_bytes(next(exports.glob("partner_ocn_intyg_*.xlsx")).read_bytes()[:500])
    city = july_file(exports, "stad_ekonomiskt_bistand")
    city.write_text(city.read_bytes().decode("cp1252"), encoding="utf-8")
    status, output = refresh(exports, warehouse)
    assert status == 1
    assert f"{workbook.name}: the file cannot be opened as an Excel workbook" in output
    assert f"{city.name}: the file is UTF-8 encoded, but this export must be Windows-1252" in output
    assert_every_row_accounted(warehouse, manifest)


def test_a_file_whose_rows_all_fail_blocks_publishing(setup):
    exports, warehouse, manifest = setup
    path = july_file(exports, "af_manadsstatus")
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    broken = [lines[0]] + ["X" + line[1:] for line in lines[1:]]  # every personnummer invalid
    path.write_bytes(("\ufeff" + "\n".join(broken) + "\n").encode())
    before = published(warehouse)
    status, output = refresh(exports, warehouse)
    assert status == 2
    assert "Refresh failed at stage 'validate'" in output and path.name in output
    assert published(warehouse) == before
    assert history(warehouse)[-1][:2] == ("failed", "validate")


def test_a_month_missing_from_the_delivery_is_named(setup):
    exports, warehouse, manifest = setup
    missing = july_file(exports, "stad_ekonomiskt_bistand")
    missing.unlink()
    status, output = refresh(exports, warehouse)
    assert status == 0, output
    assert "stad_ekonomiskt_bistand" in output and "2012-07" in output
    assert_every_row_accounted(warehouse, manifest)


def test_disk_full_while_writing_fails_cleanly(setup):
    exports, warehouse, manifest = setup
    before = published(warehouse)
    limit = warehouse.stat().st_size // 2  # the copy to the build file cannot complete

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failing write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    status, output = refresh(exports, warehouse, preexec_fn=small_disk)
    assert status == 2
    assert "Refresh failed at stage 'ingest'" in output and "Check free disk space" in output
    assert published(warehouse) == before
    assert refresh(exports, warehouse)[0] == 0


def test_a_second_refresh_started_meanwhile_refuses(setup):
    exports, warehouse, _ = setup
    first = refresh_process(exports, warehouse)
    while first.poll() is None and "stage" not in lock_text(warehouse):
        time.sleep(0.01)
    status, output = refresh(exports, warehouse)
    first.wait(timeout=900)
    assert status == 2
    assert "Another refresh of this warehouse is running" in output
    assert first.returncode == 0


def test_dashboard_queries_keep_answering_while_a_refresh_publishes(setup):
    exports, warehouse, _ = setup
    serving = settings.serving(warehouse)
    answers, errors, done = [], [], threading.Event()

    def reader():
        while not done.is_set():
            try:
                with duckdb.connect(str(serving), read_only=True) as con:
                    answers.append(con.execute(
                        "SELECT count(*), max(month) FROM marts.fct_kpi_monthly").fetchall()[0])
            except Exception as err:  # any failed request fails the test
                errors.append(err)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        status, output = refresh(exports, warehouse)
    finally:
        done.set()
        thread.join()
    assert status == 0, output
    assert errors == []
    assert len(set(answers)) == 2  # the old data, then the new: never anything in between


def city_personnummer(exports: Path) -> set[str]:
    """The 10-digit form of every personnummer in the delivery's Windows-1252 (city) files."""
    tens = set()
    for path in exports.iterdir():
        kind = kind_for(path.name)
        if kind is None or kind.encoding != "cp1252" or not path.stat().st_size:
            continue
        lines = path.read_bytes().decode("cp1252").splitlines()
        header = [h.strip().casefold() for h in lines[0].split(kind.delimiter)]
        columns = [header.index(c.name.casefold()) for c in kind.sheets[0].columns if c.type == PNR]
        for line in lines[1:]:
            fields = line.split(kind.delimiter)
            for digits in (re.sub(r"\D", "", fields[i]) for i in columns if i < len(fields)):
                if len(digits) in (10, 12):
                    tens.add(digits[-10:])
    return tens


# 10 digits, or 6 + a separator + 4: also found inside the 12-digit forms (overlapping).
PNR_LIKE = re.compile(rb"(?=(\d{6}[-+]?\d{4}))")


def files_holding(tens: set[str], root: Path, since: float = 0, skip=()) -> list[str]:
    """Files under ``root`` (changed since ``since``, outside ``skip``) whose bytes hold one
    of the personnummer ``tens`` as 12 or 10 digits, with or without a hyphen."""
    hits = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [d for d in subfolders if Path(folder, d) not in skip]
        for name in names:
            path = Path(folder, name)
            try:
                info = path.lstat()
                if not stat.S_ISREG(info.st_mode) or info.st_ctime < since:
                    continue
                data = path.read_bytes()
            except OSError:  # gone meanwhile, or another user's
                continue
            found = {m.group(1).replace(b"-", b"").replace(b"+", b"").decode()
                     for m in PNR_LIKE.finditer(data)} & tens
            if found:
                hits.append(f"{path}: {len(found)} personnummer")
    return hits


def test_killed_during_ingest_leaves_no_clear_personnummer_on_disk(setup, tmp_path_factory):
    exports, warehouse, _ = setup
    tens = city_personnummer(exports)
    assert len(tens) > 100 and files_holding(tens, exports)  # the search finds them
    started = time.time()
    private = f".{warehouse.name}.private-*"
    modes, kills_in_ingest, window = set(), 0, None
    moments = random.Random(14)
    # The first run measures how long ingest lasts (it is killed as dbt starts); the others
    # are killed at random moments of that window.
    for _run in range(6):
        process = refresh_process(exports, warehouse)
        while process.poll() is None and "stage ingest" not in lock_text(warehouse):
            time.sleep(0.002)
        began = time.perf_counter()
        kill_at = None if window is None else began + moments.uniform(0, window)
        while process.poll() is None:
            for folder in warehouse.parent.glob(private):
                with contextlib.suppress(FileNotFoundError):
                    modes.add(stat.S_IMODE(folder.stat().st_mode))
            stage = lock_text(warehouse)
            if kill_at is None and "stage ingest" not in stage and "stage" in stage:
                window = time.perf_counter() - began
                break
            if kill_at is not None and time.perf_counter() >= kill_at:
                kills_in_ingest += "stage ingest" in stage
                break
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert window is not None and kills_in_ingest >= 3
    assert modes == {0o700}  # the private folder, each time it was seen
    assert files_holding(tens, warehouse.parent) == []
    basetemp = tmp_path_factory.getbasetemp()
    others = {p for p in basetemp.parent.iterdir() if p != basetemp}  # other pytest sessions
    assert files_holding(tens, Path("/tmp"), started, skip={exports, *others}) == []
    status, output = refresh(exports, warehouse)
    assert status == 0, output
    assert list(warehouse.parent.glob(private)) == []
    assert files_holding(tens, warehouse.parent) == []
