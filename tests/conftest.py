"""Fixtures: small deliveries written by the tests, and a refresh run in-process."""

import hashlib
import hmac
import os
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import xlsxwriter
from rich.console import Console
from streamlit import config as st_config

import settings
from ingest import load, personnummer, private
from ingest.report import exit_status, summary
from refresh import pipeline

TEST_KEY = "test-key-not-secret"


@pytest.fixture(autouse=True)
def pseudonym_key(monkeypatch):
    monkeypatch.setenv("KEDJAN_PSEUDONYM_KEY", TEST_KEY)
    return TEST_KEY.encode()


def expected_key(twelve: str) -> str:
    """person_key computed independently of the SQL macros."""
    return hmac.new(TEST_KEY.encode(), twelve.encode(), hashlib.sha256).hexdigest()


_macros = duckdb.connect()
personnummer.install(_macros)


def luhn(nine: str) -> str:
    return str(_macros.execute("SELECT luhn_check_digit(?)", [nine]).fetchall()[0][0])


def pnr(birth: str, serial: str = "123") -> str:
    """A valid 12-digit personnummer for birth date YYYYMMDD and a 3-digit serial."""
    return birth + serial + luhn(birth[2:] + serial)


def orgnr(first_nine: str) -> str:
    return f"{first_nine[:6]}-{first_nine[6:]}{luhn(first_nine)}"


class Delivery:
    """A delivery folder; files are written in the exact format of exports.md."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def csv(self, name, header, rows, encoding="utf-8-sig", delimiter=";", newline="\n"):
        lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
        path = self.folder / name
        path.write_bytes((newline.join(lines) + newline).encode(encoding))
        return path

    def af(self, name, header, rows):
        return self.csv(name, header, rows)

    def city(self, name, header, rows):
        return self.csv(name, header, rows, encoding="cp1252", newline="\r\n")

    def xlsx(self, name, sheets, title="Export – test", header_cell=(2, 0)):
        """sheets: {sheet name: (header, rows)}; a title (if any) and a blank row above the
        header, whose first cell is ``header_cell`` (row, column; from 0)."""
        path = self.folder / name
        book = xlsxwriter.Workbook(str(path))
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        top, left = header_cell
        for sheet_name, (header, rows) in sheets.items():
            sheet = book.add_worksheet(sheet_name)
            if title:
                sheet.write(top - 2, left, title)
            sheet.write_row(top, left, header)
            for r, row in enumerate(rows, start=top + 1):
                for c, value in enumerate(row, start=left):
                    if hasattr(value, "year"):
                        sheet.write_datetime(r, c, value, date_format)
                    elif value is not None:
                        sheet.write(r, c, value)
        book.close()
        return path


AF_SOKANDE = ["personnummer", "inskrivningsdatum", "uppehallstillstand_datum", "projektkod",
              "af_kontor", "utbildningsniva"]
AF_STATUS = ["personnummer", "manad", "sokandekategori", "anstallningsstod"]
AF_AVAKT = ["personnummer", "avaktiveringsdatum", "orsak"]
STAD_BISTAND = ["Personnummer", "Utbetalningsmånad", "Belopp", "Stadsdel"]
STAD_JOBBTORG = ["Personnummer", "Inskrivningsdatum", "Utskrivningsdatum", "Stadsdel",
                 "Projektkod", "Plan upprättad", "Handläggare"]
MATCHNING = ["Personnummer", "Projekt", "Organisationsnummer", "Arbetsgivare", "Insats",
             "Startdatum", "Slutdatum", "Bransch"]
EKONOMI = ["projekt", "manad", "kostnadsslag", "belopp", "finansiar"]


@pytest.fixture
def delivery(tmp_path):
    return Delivery(tmp_path / "exports")


@pytest.fixture
def warehouse(tmp_path):
    return tmp_path / "wh" / "warehouse.duckdb"


def run_ingest(exports: Path, warehouse: Path) -> tuple[int, str]:
    """The refresh's ingest stage straight into ``warehouse`` (no dbt, no gate).

    Returns the exit status the refresh would give and the summary it would print.
    """
    console = Console(record=True, width=200, force_terminal=False)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with private.folder(warehouse, "test-run") as folder:
        results = load.load_folder(exports, warehouse, "test-run", personnummer.pseudonym_key(),
                                   settings.PROJECTS_CONFIG, folder)
    summary(results, f"Refresh of {warehouse}", console)
    return exit_status(results), console.export_text()


def query(warehouse: Path, sql: str, params=None):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def pytest_collection_modifyitems(items):
    """A test that needs the demo warehouse builds it (a real refresh, dbt included): slow,
    whatever its module says, so that ``-m "not slow"`` stays fast."""
    for item in items:
        if "demo_warehouse" in item.fixturenames:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory):
    """A published warehouse built by the real refresh (dbt and the gate included) from
    generated exports with 400 participants, plus one 0-byte file that is rejected."""
    from ingest.generate import generate

    root = tmp_path_factory.mktemp("demo")
    exports = root / "exports"
    generate(scale="demo", seed=5, out=exports, participants=400)
    (exports / "af_manadsstatus_201912.csv").write_bytes(b"")
    warehouse = root / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KEDJAN_PSEUDONYM_KEY", TEST_KEY)
        console = Console(record=True, width=200, force_terminal=False)
        status = pipeline.run(exports, warehouse, console)
    assert status == 1, console.export_text()  # published; the 0-byte file rejected
    return warehouse


APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def pick_as_of(app, month) -> None:
    """Choose the as-of month in a page's picker (year, then month) and rerun."""
    month = pd.Timestamp(month)
    app.selectbox(key="as_of_year").set_value(month.year).run()
    app.selectbox(key="as_of_month").set_value(month.month).run()

# Users get no error details (client.showErrorDetails = "none" in .streamlit/config.toml);
# AppTest runs in this process, so the tests get an exception's message and traceback.
st_config.set_option("client.showErrorDetails", "full")
# AppTest has no server: the app in demo mode sees the loopback address `make dashboard`
# gives it (a test of the refusal sets another).
st_config.set_option("server.address", "127.0.0.1")


@pytest.fixture
def published(demo_warehouse, monkeypatch):
    """The dashboard's environment in demo mode on ``demo_warehouse``; the serving file."""
    import settings

    monkeypatch.setenv("WAREHOUSE", str(demo_warehouse))
    monkeypatch.setenv("KEDJAN_DEMO_MODE", "1")
    return settings.serving(demo_warehouse)


def app_as(role: str, page: str, language: str = "sv", projects: list[str] | None = None):
    """The app in demo mode, signed in with ``role`` (and ``projects`` for a project
    manager), on page file ``page``; prints the page's server-side render time."""
    import time

    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state["demo_role"] = role
    app.session_state["language"] = language
    if projects is not None:
        app.session_state["demo_projects"] = projects
    app.run()
    app.switch_page(f"app_pages/{page}")
    started = time.perf_counter()
    app.run()
    print(f"\nAppTest render {page} as {role}: {time.perf_counter() - started:.2f} s")
    assert not app.exception, [e.value for e in app.exception]
    return app


@pytest.fixture(scope="module")
def server(demo_warehouse):
    """The dashboard in demo mode on loopback, on the demo warehouse: its address."""
    from tests.live import streamlit_server

    env = dict(os.environ, WAREHOUSE=str(demo_warehouse), KEDJAN_DEMO_MODE="1")
    with streamlit_server(env, "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium (skips the test when it is not installed)."""
    from tests.live import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture
def analyst(published):
    """The SQL page as the analyst sees it."""
    return app_as("analytiker", "sql.py")
