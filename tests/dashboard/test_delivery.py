"""The data steward's month in the app: the Leverans page (upload, check, accept, refresh)
and Datakvalitet's quarantine tools, through Streamlit's AppTest on real files, a real
check process, a real refresh process and real serving files."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from streamlit import config as st_config

import settings
from dashboard import formats
from dashboard.labels import text
from tests.conftest import (
    AF_AVAKT,
    AF_STATUS,
    STAD_BISTAND,
    Delivery,
    app_as,
    pnr,
    query,
    run_ingest,
)

REPO = Path(__file__).resolve().parents[2]

# Personnummer planted in the files below: none may appear anywhere on a page.
P = [pnr(f"1990010{i}", f"12{i}") for i in range(1, 8)]
BAD_PNR = P[1][:-1] + str((int(P[1][-1]) + 1) % 10)  # wrong check digit
ALL_FORMS = {f for p in P + [BAD_PNR] for f in (p, p[2:], f"{p[:8]}-{p[8:]}", f"{p[2:8]}-{p[8:]}")}

GOOD = ("af_avaktiveringar_20200115.csv", AF_AVAKT,
        [[P[0], "2020-01-10", "ARBETE_TV"], [P[2], "2020-01-12", "UTBILDNING"],
         [P[3], "2020-01-14", "OVRIG"]])
RENAMED = ("af_avaktiveringar_20200116.csv", ["personnummer", "avregistreringsdatum", "orsak"],
           [[P[0], "2020-01-10", "ARBETE_TV"]])
BAD = ("af_manadsstatus_202001.csv", AF_STATUS, [
    [P[0], "2020-01", "11", ""],             # line 2: good
    [P[2], "2020-01", "21", "INSTEG"],       # line 3: good
    [BAD_PNR, "2020-01", "11", ""],          # line 4: wrong check digit
    [P[3], "2020-01", "99", ""],             # line 5: unknown category
    [P[4], "2019-12", "11", ""],             # line 6: not the file's month
    [P[5], "2020-01", "11", P[6]],           # line 7: a personnummer where a code belongs
    [P[6], "2020-01"],                       # line 8: cut off
])
# The preview of BAD, by hand: row, column, value as delivered, problem, what was expected.
BAD_PREVIEW = [
    (4, "personnummer", "(personnummer visas inte)", "Ogiltigt personnummer",
     "ett nummer med rätt kontrollsiffra"),
    (5, "sokandekategori", "99", "Okänd kod", "ett av värdena 11, 12, 21, 22, 41, 68, 69, 98"),
    (6, "manad", "2019-12", "Fel månad", "månaden 2020-01 (filnamnets månad)"),
    (7, "anstallningsstod", "(personnummer visas inte)", "Okänd kod",
     "ett av värdena INSTEG, NYSTART"),
    (8, "(hela raden)", "", "För få fält", "4 fält, raden har 2 (avklippt rad?)"),
]
PREVIEW_COLUMNS = ["Rad", "Kolumn", "Värde (som levererat)", "Fel", "Förväntat"]


def written(tmp_path: Path, spec) -> tuple[str, bytes]:
    name, header, rows = spec
    path = Delivery(tmp_path / "files").csv(name, header, rows)
    return name, path.read_bytes()


@pytest.fixture
def steward(demo_warehouse, tmp_path, monkeypatch):
    """A private copy of the published demo warehouse, an empty delivery folder, and the
    dashboard's environment on them (demo mode)."""
    mine = tmp_path / "wh" / "warehouse.duckdb"
    mine.parent.mkdir()
    for path in (demo_warehouse, settings.serving(demo_warehouse)):
        shutil.copy(path, mine.with_name(path.name))
    exports = tmp_path / "exports"
    exports.mkdir()
    monkeypatch.setenv("WAREHOUSE", str(mine))
    monkeypatch.setenv("EXPORTS_DIR", str(exports))
    monkeypatch.setenv("KEDJAN_DEMO_MODE", "1")
    return exports, mine


def upload(app, files: list[tuple[str, bytes]]):
    app.file_uploader[0].set_value([(name, data, "text/csv") for name, data in files]).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def page_text(app) -> str:
    """Everything the page shows as text, tables included."""
    parts = []
    for kind in ("markdown", "caption", "info", "error", "warning", "success", "code", "title",
                 "subheader"):
        parts += [str(e.value) for e in getattr(app, kind)]
    parts += [df.value.to_csv() for df in app.dataframe]
    parts += [b.label for b in app.button]
    return "\n".join(parts)


def preview(app) -> list[tuple]:
    """The rows of the page's problem list, the row number as a number (tables show text)."""
    frame = next(df.value for df in app.dataframe if list(df.value.columns) == PREVIEW_COLUMNS)
    return [(int(r[0]), *r[1:]) for r in frame.itertuples(index=False)]


def accept_button(app):
    return next(b for b in app.button if b.label.startswith("Ta emot"))


def test_a_good_file_is_checked_and_can_be_accepted(steward, tmp_path):
    exports, _ = steward
    app = upload(app_as("dataansvarig", "delivery.py"), [written(tmp_path, GOOD)])
    shown = page_text(app)
    assert "Exporttyp: af_avaktiveringar" in shown
    assert "Teckenkodning: UTF-8 (med BOM), kontrollerad" in shown
    assert "Rubrikrad: alla 3 kolumner finns" in shown
    assert "Rader: 3, varav 0 skulle karantänsättas (läses inte in)." in shown
    assert "Inga rader skulle karantänsättas." in shown
    button = accept_button(app)
    assert button.label == "Ta emot 1 fil(er) till leveransmappen" and not button.disabled
    assert list(exports.iterdir()) == [settings.incoming(exports)]  # nothing delivered yet


def test_a_renamed_column_is_named_and_the_file_refused(steward, tmp_path):
    app = upload(app_as("dataansvarig", "delivery.py"), [written(tmp_path, RENAMED)])
    (error, rejected) = [e.value for e in app.error]
    assert error == ("Rubrikrad: kolumner saknas: avaktiveringsdatum. I filen men inte i avtalet "
                     "(omdöpta?): avregistreringsdatum. Kolumner i filen: personnummer, "
                     "avregistreringsdatum, orsak.")
    assert rejected.startswith("Filen skulle avvisas vid inläsningen och kan inte tas emot: "
                               "af_avaktiveringar_20200116.csv: required column(s) missing")
    assert accept_button(app).disabled


def test_bad_rows_preview_exactly_what_ingest_quarantines_and_no_personnummer(steward, tmp_path):
    name, data = written(tmp_path, BAD)
    app = upload(app_as("dataansvarig", "delivery.py"), [(name, data)])
    assert "Rader: 7, varav 5 skulle karantänsättas (läses inte in)." in page_text(app)
    assert preview(app) == BAD_PREVIEW
    # The same rows, columns, reasons and values as a real load of the same file records.
    scratch = tmp_path / "scratch" / "warehouse.duckdb"
    run_ingest(tmp_path / "files", scratch)
    loaded = query(scratch, "SELECT row_number, column_name, reason, value, detail "
                            "FROM raw.quarantine ORDER BY row_number")
    checked = json.loads(subprocess.run(
        [sys.executable, "-m", "ingest.check", str(tmp_path / "files" / name)], cwd=REPO,
        capture_output=True, text=True, check=True).stdout)[0]["problems"]
    assert [(p["row_number"], p["column_name"], p["reason"], p["value"], p["detail"])
            for p in checked] == loaded
    assert [r[0] for r in loaded] == [r[0] for r in BAD_PREVIEW]
    assert not [form for form in ALL_FORMS if form in page_text(app)]
    assert not accept_button(app).disabled  # quarantine is how a load handles bad rows


def test_a_wrongly_encoded_file_is_refused_as_ingest_would(steward, tmp_path):
    """A city file must be Windows-1252: one saved as UTF-8 is refused with the message a
    real load of the same file records."""
    name = "stad_ekonomiskt_bistand_202001.csv"
    path = Delivery(tmp_path / "files").csv(name, STAD_BISTAND, [[P[0], "2020-01", "500", "Södermalm"]],
                                            encoding="utf-8", newline="\r\n")
    app = upload(app_as("dataansvarig", "delivery.py"), [(name, path.read_bytes())])
    scratch = tmp_path / "scratch" / "warehouse.duckdb"
    run_ingest(tmp_path / "files", scratch)
    [(status, error)] = query(scratch, "SELECT status, error FROM raw.load_log")
    assert status == "rejected" and "must be Windows-1252" in error
    assert any(e.value.startswith("Filen skulle avvisas vid inläsningen och kan inte tas emot: ")
               and e.value.endswith(error) for e in app.error), [e.value for e in app.error]
    assert accept_button(app).disabled
    assert not [form for form in ALL_FORMS if form in page_text(app)]


def test_unknown_kinds_and_oversized_files_are_refused(steward, tmp_path, monkeypatch):
    name, data = written(tmp_path, GOOD)
    limit = st_config.get_option("server.maxUploadSize")
    st_config.set_option("server.maxUploadSize", 1)
    try:
        app = app_as("dataansvarig", "delivery.py")
        assert app.file_uploader[0].allowed_type == [".csv", ".xlsx"]
        upload(app, [("rapport_2020.csv", data), ("af_avaktiveringar_20200117.csv", b"x" * (2 << 20))])
    finally:
        st_config.set_option("server.maxUploadSize", limit)
    (big, unknown) = [e.value for e in app.error]
    assert unknown.startswith("Filnamnet motsvarar ingen exporttyp, så filen kan inte tas emot.")
    assert "af_manadsstatus_….csv" in unknown and "partner_heart_kartlaggning_….xlsx" in unknown
    assert big == ("af_avaktiveringar_20200117.csv: filen är 2,0 MB, gränsen är 1 MB. Dela upp "
                   "exporten eller lägg filen direkt i leveransmappen.")
    assert accept_button(app).disabled


def test_a_file_loaded_before_is_recognised(steward, demo_warehouse):
    delivered = sorted((demo_warehouse.parent / "exports").glob("af_avaktiveringar_*.csv"))[0]
    (load_id, finished), = query(settings.serving(demo_warehouse),
                                 "SELECT load_id, finished_at FROM ops.load_log WHERE file = ?",
                                 [delivered.name])
    app = upload(app_as("dataansvarig", "delivery.py"), [(delivered.name, delivered.read_bytes())])
    assert (f"Den här filen (samma namn och innehåll) lästes in "
            f"{formats.datetime(finished, lang='sv')} "
            f"(inläsning {load_id}). Den tas inte emot igen.") in [i.value for i in app.info]
    assert accept_button(app).disabled


def wait_for(condition, timeout: float, step: float = 0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if value := condition():
            return value
        time.sleep(step)
    raise AssertionError("timed out")


@pytest.mark.slow
def test_accept_then_refresh_from_the_page_while_the_old_data_is_served(steward, tmp_path):
    exports, warehouse = steward
    serving = settings.serving(warehouse)
    app = upload(app_as("dataansvarig", "delivery.py"), [written(tmp_path, GOOD), written(tmp_path, BAD)])
    accept_button(app).click().run()
    assert not app.exception
    assert sorted(p.name for p in exports.iterdir() if not p.name.startswith(".")) == \
        sorted([BAD[0], GOOD[0]])
    assert (exports / GOOD[0]).read_bytes() == (tmp_path / "files" / GOOD[0]).read_bytes()
    assert "Mottaget av demo: af_avaktiveringar_20200115.csv, af_manadsstatus_202001.csv." in \
        [s.value for s in app.success][0]
    assert not list(settings.incoming(exports).iterdir())  # the upload folder is emptied

    before = query(serving, "SELECT count(*) FROM ops.refresh_history")[0][0]
    old_version = serving.stat().st_mtime_ns
    next(b for b in app.button if b.label == "Starta uppdatering nu").click().run()
    pid = app.session_state["refresh_started"]["pid"]
    assert pid != os.getpid()
    assert b"-mrefresh" in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b"")
    lock = settings.refresh_lock(warehouse)
    stage = wait_for(lambda: lock.exists() and "stage" in lock.read_text() and lock.read_text(), 120)
    # While it runs the page reports it, refuses a second start, and the dashboard reads
    # the previous serving file.
    app.run()
    assert any(i.value.startswith("En uppdatering pågår (process ") for i in app.info) or \
        any(i.value == "Uppdateringen startar …" for i in app.info), stage
    assert next(b for b in app.button if b.label == "Starta uppdatering nu").disabled
    assert query(serving, "SELECT count(*) FROM ops.refresh_history")[0][0] == before
    dq = app_as("dataansvarig", "data_quality.py")
    assert not dq.exception
    wait_for(lambda: not Path(f"/proc/{pid}").exists() or
             Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] == "Z", 900, 1)
    assert serving.stat().st_mtime_ns != old_version
    app.run()
    app.run()
    assert not app.exception
    assert any(s.value.startswith("Uppdateringen publicerades ") and "2 filer inlästa, 0 avvisade, "
               "5 rader i karantän." in s.value for s in app.success), page_text(app)
    uploaded = query(serving, "SELECT file, uploaded_by, uploaded_at IS NOT NULL FROM ops.load_log "
                              "WHERE uploaded_by IS NOT NULL ORDER BY file")
    assert uploaded == [(GOOD[0], "demo", True), (BAD[0], "demo", True)]

    # Datakvalitet: picking the bad file's load-log row opens its rows and the list for
    # the sender, computed by hand.
    dq = app_as("dataansvarig", "data_quality.py")
    def col(column: str) -> str:  # a header of Datakvalitet's tables, in Swedish
        return text(f"dq_col_{column}", "sv")

    log = next(df.value for df in dq.dataframe if col("uploaded_by") in df.value.columns)
    row = log[col("file")].tolist().index(BAD[0])
    dq.session_state["load_log_pick"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    dq.run()
    assert not dq.exception
    (load_id,) = log.loc[log[col("file")] == BAD[0], col("load_id")]
    assert dq.selectbox(key="quarantine_load").value == int(load_id)
    rows = next(df.value for df in dq.dataframe
                if {col("row_number"), col("detail")} <= set(df.value.columns))
    assert rows[col("row_number")].tolist() == ["4", "5", "6", "7", "8"]
    assert set(rows[col("file")]) == {BAD[0]}
    assert preview(dq) == BAD_PREVIEW
    assert "**Till avsändaren: af_manadsstatus_202001.csv**" in [m.value for m in dq.markdown]
    assert not [form for form in ALL_FORMS if form in page_text(dq)]


def test_the_quarantine_cap_is_stated_when_it_applies(published, tmp_path, monkeypatch):
    serving = tmp_path / "warehouse.serving.duckdb"
    serving.write_bytes(published.read_bytes())
    monkeypatch.setenv("WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    app = app_as("dataansvarig", "data_quality.py")
    total = query(serving, "SELECT count(*) FROM ops.quarantine")[0][0]
    assert total < 1000 and not [c for c in app.caption if c.value.startswith("Visar de första")]
    with duckdb.connect(str(serving)) as con:
        con.execute("INSERT INTO ops.quarantine SELECT 999, 'x.csv', 'sha', 'af_manadsstatus', "
                    "range + 2, 'manad', 'invalid_date', '2020-13', 'expected a month YYYY-MM' "
                    "FROM range(1200)")
    app = app_as("dataansvarig", "data_quality.py")
    assert f"Visar de första 1\u00a0000 av {total + 1200:,} problemen".replace(",", "\u00a0") in \
        " ".join(c.value for c in app.caption)


def test_stale_sources_only_for_projects_still_running(tmp_path, monkeypatch):
    """A small serving file: ETST ended in January 2014, EHUB runs; newest file 2018-12-31."""
    serving = tmp_path / "warehouse.serving.duckdb"
    with duckdb.connect(str(serving)) as con:
        con.execute("CREATE SCHEMA ops; CREATE SCHEMA marts")
        con.execute("CREATE TABLE marts.dim_project AS SELECT * FROM (VALUES "
                    "('ETST', DATE '2009-08-01', DATE '2014-01-31'), "
                    "('EHUB', DATE '2017-10-05', NULL::DATE)) t(project_id, start_date, end_date)")
        con.execute("CREATE TABLE ops.project_sources AS SELECT * FROM (VALUES "
                    "('ETST', 'af_manadsstatus'), ('EHUB', 'partner_entryhub_besok'), "
                    "('ETST', 'partner_matchning'), ('EHUB', 'partner_matchning'), "
                    "('EHUB', 'ekonomi_utfall')) t(project_id, record_source)")
        con.execute("CREATE TABLE ops.load_log AS SELECT * FROM (VALUES "
                    "('af_manadsstatus', DATE '2014-01-31'), "       # 1795 days late, ETST ended
                    "('partner_entryhub_besok', DATE '2018-12-31'), "  # the newest
                    "('partner_matchning', DATE '2018-06-30'), "     # 184 days, EHUB runs
                    "('ekonomi_utfall', DATE '2018-11-21')) "        # 40 days: in time
                    "t(kind, export_date)")
        con.execute("ALTER TABLE ops.load_log ADD COLUMN finished_at TIMESTAMP")
        con.execute("ALTER TABLE ops.load_log ADD COLUMN status VARCHAR DEFAULT 'loaded'")
        con.execute("UPDATE ops.load_log SET status = 'loaded'")
    monkeypatch.setenv("WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    from dashboard.queries import data_quality

    fresh = data_quality.freshness()[["kind", "running_projects", "stale"]]
    assert fresh.astype(object).where(fresh.notna(), None).values.tolist() == [
        ["af_manadsstatus", None, False],
        ["ekonomi_utfall", "EHUB", False],
        ["partner_entryhub_besok", "EHUB", False],
        ["partner_matchning", "EHUB", True],
    ]


def test_a_scheduled_refresh_with_nothing_new_changes_nothing(steward, tmp_path):
    exports, warehouse = steward
    files = [warehouse, settings.serving(warehouse)]
    before = [(p.stat().st_mtime_ns, p.read_bytes()) for p in files]
    env = {**os.environ}

    def scheduled() -> tuple[int, str]:
        done = subprocess.run([sys.executable, "-m", "refresh", "--only-if-new", "--exports-dir",
                               str(exports), "--warehouse", str(warehouse)], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=300)
        return done.returncode, " ".join(done.stderr.split())

    assert scheduled() == (0, "Nothing new since the last refresh. Nothing was done.")
    assert [(p.stat().st_mtime_ns, p.read_bytes()) for p in files] == before
    # A file still being copied in: left for the next run.
    name, data = written(tmp_path, GOOD)
    (exports / name).write_bytes(data)
    assert scheduled() == (0, f"Files still arriving ({name}): the next scheduled run loads "
                              "them. Nothing was done.")
    assert [(p.stat().st_mtime_ns, p.read_bytes()) for p in files] == before


@pytest.mark.browser
def test_upload_check_and_accept_in_a_real_browser(steward, tmp_path):
    """Debian's Chromium on a real server: the bad file's preview, no personnummer in the
    page's text, and accept puts the file in the delivery folder."""
    from tests.live import ARTIFACTS, choose, chromium, settle, streamlit_server

    exports, warehouse = steward
    name, _ = written(tmp_path, BAD)
    env = dict(os.environ, WAREHOUSE=str(warehouse), EXPORTS_DIR=str(exports), KEDJAN_DEMO_MODE="1")
    with streamlit_server(env, "streamlit-delivery.log") as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.goto(url)
        settle(page, timeout=300_000)  # a first load on a busy machine
        choose(page, "Roll (demo)", "dataansvarig")
        page.locator('[data-testid="stSidebarNavLink"]', has_text="Leverans").click()
        settle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            str(tmp_path / "files" / name))
        page.get_by_text("Rader: 7, varav 5 skulle karantänsättas").wait_for(timeout=120_000)
        settle(page)
        shown = page.locator('[data-testid="stMain"]').inner_text()
        assert "Exporttyp: af_manadsstatus" in shown
        assert not [form for form in ALL_FORMS if form in shown]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "leverans-kontroll.png"), full_page=True)
        page.get_by_role("button", name="Ta emot 1 fil(er) till leveransmappen").click()
        page.get_by_text("Mottaget av demo: af_manadsstatus_202001.csv").wait_for(timeout=60_000)
    assert (exports / name).read_bytes() == (tmp_path / "files" / name).read_bytes()
