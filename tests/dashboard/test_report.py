"""The Lägesrapport (dashboard.report) on the small real warehouse: real PDFs printed by
Debian's Chromium, read back with poppler's pdftotext and rendered to PNG with pdftoppm
(test-artifacts/report/).

The KPI figures are compared with what the Översikt page shows a steering-group viewer
for the same month (AppTest) and with the marts read here with duckdb; no count of 1 to 4
people may be printed beside a count label.
"""

import os
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import settings
from dashboard import formats
from dashboard.labels import TEXTS
from dashboard.queries.esf import INDICATORS
from dashboard.queries.funnel import STEPS
from tests.conftest import app_as, pick_as_of, query
from tests.live import ARTIFACTS, REPO

pytestmark = pytest.mark.skipif(not (shutil.which("pdftotext") and os.path.exists("/usr/bin/chromium")),
                                reason="needs Debian's chromium and poppler-utils (.ci/run installs them)")

PROJECT, MONTH = "ETST", "2013-12"
OUT = ARTIFACTS / "report"


def sv(key: str) -> str:
    return TEXTS[key][0]


def pdf_text(path, layout: bool = False) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.replace("\xa0", " ")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def to_png(path) -> list:
    prefix = OUT / path.stem
    for old in OUT.glob(f"{path.stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(prefix)], check=True)
    return sorted(OUT.glob(f"{path.stem}-*.png"))


@pytest.fixture(scope="module")
def swedish(demo_warehouse):
    """``python -m dashboard.report`` (what ``make report`` runs) for ETST, December 2013."""
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"lagesrapport_{PROJECT}_{MONTH}_sv.pdf"
    env = {**os.environ, "WAREHOUSE": str(demo_warehouse)}
    done = subprocess.run([sys.executable, "-m", "dashboard.report", "--project", PROJECT,
                           "--month", MONTH, "--lang", "sv", "--out", str(out)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    return out


@pytest.fixture(scope="module")
def english(demo_warehouse):
    """Every project, in English, made in-process as the Översikt page's download makes it."""
    from dashboard.report import render

    OUT.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAREHOUSE", str(demo_warehouse))
        document = render.make(None, pd.Timestamp(f"{MONTH}-01"), "en")
    out = OUT / f"lagesrapport_alla_{MONTH}_en.pdf"
    out.write_bytes(document)
    return out


def kpi_blocks(text: str, names: list[str]) -> dict[str, str]:
    """Each KPI's block of the 'Mål och nyckeltal' section: its name to the next one's."""
    section = text[text.index(sv("rp_kpis")):text.index(sv("rp_trend_note"))]
    starts = sorted((section.index(name), name) for name in names)
    return {name: section[start:(starts[i + 1][0] if i + 1 < len(starts) else None)]
            for i, (start, name) in enumerate(starts)}


def swedish_count(value) -> str:
    """A count from the page's table as the report writes it ('<5', '..', '4 736')."""
    try:
        return f"{int(float(value)):,}".replace(",", " ")
    except ValueError:
        return value  # a mark


def test_every_kpi_as_the_overview_page_shows_it_to_the_steering_group(published, swedish):
    text = flat(pdf_text(swedish, layout=True))
    app = app_as("styrgrupp", "overview.py")
    pick_as_of(app, pd.Timestamp(f"{MONTH}-01"))
    assert not app.exception, [e.value for e in app.exception]
    names = [r[0] for r in query(published, """
        SELECT name_sv FROM marts.dim_kpi WHERE project_id = ? AND is_computed_monthly""",
                                 [PROJECT])]
    tables = [df.value for df in app.dataframe if "Status" in df.value.columns
              and set(names) <= set(df.value["KPI"])]
    assert len(tables) == 1
    page = tables[0].set_index("KPI")
    blocks = kpi_blocks(text, names)
    assert sorted(blocks) == sorted(names)
    for name in names:
        row, block = page.loc[name].map(lambda v: flat(v) if isinstance(v, str) else v), blocks[name]
        # The value and its status badge, the target, women and men, as on the page.
        assert f"{name} {row['Värde']} {row['Status']} " in block, (name, block)
        assert f"Mål {row['Mål']} " in block, (name, block)
        assert f"Kvinnor {row['Kvinnor']}" in block and f"Män {row['Män']}" in block, (name, block)
        if "%" in row["Värde"] or "," in row["Värde"] or row["Värde"] in ("–", ".."):
            pair = f"{swedish_count(row['Täljare'])} / {swedish_count(row['Nämnare'])}"
            assert f"Täljare / nämnare {pair} " in block, (name, block)
        # The forecast to the project's end (January 2014), as the page has it.
        if row["Prognos"] == "–":  # no value to forecast from, or protected
            assert "Prognos – " in block, (name, block)
        else:
            assert f"Prognos Prognos vid jan. 2014: {row['Prognos']} " in block, (name, block)
        # The summary on the project's first page says the same.
        assert f"{row['Värde']} {row['Mål']} {row['Status']}" in text, name
    # Independently of the dashboard: T1 and T4 from the marts (their totals are large).
    (n, d), = query(published, """SELECT numerator, denominator FROM marts.fct_kpi_monthly
        WHERE kpi_id = 'etst_self_supporting_18m' AND gender = 'all' AND month = ?""", [f"{MONTH}-01"])
    t1 = sv("rp_numerator_denominator") + f" {int(n)} / {int(d)}"
    share = f"{100 * n / d:.1f}".replace(".", ",") + " %"
    assert t1 in blocks["Självförsörjande 18 månader efter uppehållstillstånd"]
    assert f"Självförsörjande 18 månader efter uppehållstillstånd {share} " in blocks[
        "Självförsörjande 18 månader efter uppehållstillstånd"]
    (matches,), = query(published, """SELECT value FROM marts.fct_kpi_monthly
        WHERE kpi_id = 'etst_guide_matches' AND gender = 'all' AND month = ?""", [f"{MONTH}-01"])
    assert f"Matchningar med yrkesguide hittills i år {int(matches)} " in text
    # T4 is judged on the matches since the project's start against 400 a year (projects.md).
    (since, target), = query(published, """SELECT judged_value, judged_target
        FROM marts.fct_kpi_status WHERE kpi_id = 'etst_guide_matches' AND gender = 'all'
        AND month = ?""", [f"{MONTH}-01"])
    judged = sv("ov_judged").format(value=f"{since:,.0f}".replace(",", " "),
                                    target=f"{target:,.1f}".replace(",", " ").replace(".", ",")
                                    .removesuffix(",0"))
    assert judged in blocks["Matchningar med yrkesguide hittills i år"], judged


def test_cover_appendix_page_numbers_and_the_protection_note(published, swedish):
    text = flat(pdf_text(swedish, layout=True))
    n = pages(swedish)
    assert 4 <= n <= 12, n  # cover, KPIs, budget, chain, ESF, data quality, appendix
    for page in range(1, n + 1):
        assert f"Sida {page} av {n}" in text
    assert text.count("Små tal (1–4 personer) visas som <5") >= n  # every page's footer
    (run_id, finished), = query(published, """SELECT run_id, finished_at FROM ops.refresh_history
        WHERE result = 'published' ORDER BY finished_at DESC LIMIT 1""")
    assert f"publicering {run_id} ({flat(formats.datetime(finished, lang='sv'))})" in text
    assert "Etablering Stockholm" in text and "1 aug. 2009 – 31 jan. 2014" in text
    assert "Rapportmånad december 2013" in text
    for kind, export in query(published, """SELECT kind, max(export_date) FROM ops.load_log
            WHERE status = 'loaded' GROUP BY kind"""):
        assert f"{kind} {flat(formats.date(export, lang='sv'))}" in text
    appendix = text[text.index(sv("rp_appendix")):]
    for name, definition in query(published, """SELECT name_sv, definition_sv FROM marts.dim_kpi
            WHERE project_id = ? OR kpi_id = 'budget_burn'""", [PROJECT]):
        assert f"{name} " in appendix and flat(definition) in appendix, name
    # Data quality: quarantined rows per source, as in ops.quarantine.
    quality = text[text.index(sv("rp_data_quality")):text.index(sv("rp_appendix"))]
    for table, rows in query(published, "SELECT raw_table, count(*) FROM ops.quarantine GROUP BY 1"):
        assert f"{table} {rows:,}".replace(",", " ") in quality
    assert to_png(swedish)


# Labels beside which every number is a count of people (or a share, a mark, a date): the
# chain's steps, the ESF indicators, women and men, numerators and denominators, T1's pending.
COUNT_LABELS = sorted({sv(f"step_{s}") for s in STEPS} | {sv(f"esf_{c}") for c in INDICATORS}
                      | {sv("kpi_gender_K"), sv("kpi_gender_M"), sv("rp_numerator_denominator"),
                         sv("ov_excluded"), sv("rp_pending_t1")}, key=len, reverse=True)
NOT_COUNTS = re.compile(r"<5|\d{4}-\d{2}(-\d{2})?|\d+(,\d+)?\s?%|\d+,\d+|\b\d{4}\b")
COUNT = re.compile(r"(?<![\d<])\d{1,3}(?: \d{3})+(?!\d)|(?<![\d<])\d+(?!\d)")


def small_counts(layout: str) -> list[str]:
    """Lines with a count label and, beside it, a count of 1 to 4."""
    found = []
    for line in layout.splitlines():
        labels = [label for label in COUNT_LABELS if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", line)]
        if not labels:
            continue
        rest = line
        for label in labels:
            rest = rest.replace(label, " ")
        rest = NOT_COUNTS.sub(" ", rest)
        if any(1 <= int(c.replace(" ", "")) <= 4 for c in COUNT.findall(rest)):
            found.append(line)
    return found


def test_no_count_of_one_to_four_people_is_printed(published, swedish):
    layout = pdf_text(swedish, layout=True)
    assert small_counts(layout) == []
    # Not vacuous: the marts hold counts of 1 to 4 the report covers, and they read <5.
    small = query(published, """
        SELECT kpi_id, gender, value FROM marts.fct_kpi_monthly
        WHERE project_id = ? AND month = ? AND unit = 'count' AND gender IN ('K', 'M')
          AND value BETWEEN 1 AND 4""", [PROJECT, f"{MONTH}-01"])
    assert small, "the fixture should have a small count at the month"
    assert re.search(r"Kvinnor\s+<5|Män\s+<5", layout)
    (esf_small,), = query(published, """SELECT count(*) FROM marts.fct_esf_indicators
        WHERE project_id = ? AND reporting_period = 'total' AND aged_over_54 BETWEEN 1 AND 4""",
                          [PROJECT])
    assert esf_small and re.search(r"varav över 54 år\s+(<5|\.\.)", layout)
    # The scan itself finds a small count where one is printed.
    assert small_counts("   Kvinnor            3\n   varav 25–54 år   .. 12 2 314") == [
        "   Kvinnor            3"]
    assert small_counts("   Anställd   162   42,4 %   58,9 %   4   101") != []


def labels_of(language: int) -> dict[str, list[str]]:
    """Every label of the report's texts, as fragments (placeholders and markup removed)."""
    keys = [k for k in TEXTS if k.startswith(("rp_", "ov_", "step_", "esf_", "kpi_gender_", "col_"))
            or k in ("numerator", "denominator", "value", "target", "month", "gender", "project")]
    # A word of a label that is the same in both languages ("Total budget") is no sign.
    shared = [sv_text for sv_text, en_text in TEXTS.values() if sv_text == en_text]
    out = {}
    for key in keys:
        pair = TEXTS[key]
        if pair[0] == pair[1]:
            continue
        fragments = [flat(f.strip(" .:,()·")) for f in re.split(r"\{[^}]*\}|\*\*|\n", pair[language])]
        out[key] = [f for f in fragments if len(f) >= 3 and not any(present(f, s) for s in shared)]
    return out


def present(fragment: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text) is not None


def test_an_english_report_has_no_swedish_labels_and_the_reverse(published, swedish, english):
    en_text, sv_text = flat(pdf_text(english)), flat(pdf_text(swedish))
    assert "Status report" in en_text and "Page 1 of" in en_text
    assert "Small numbers (1–4 people) are shown as <5" in en_text
    left = {key: f for key, fragments in labels_of(0).items() for f in fragments if present(f, en_text)}
    assert left == {}, left
    left = {key: f for key, fragments in labels_of(1).items() for f in fragments if present(f, sv_text)}
    assert left == {}, left
    # Every project is in the report of all projects, under its English name.
    for (name,) in query(published, "SELECT name_en FROM marts.dim_project"):
        assert name in en_text
    assert 8 <= pages(english) <= 40
    assert to_png(english)


def test_a_month_outside_the_data_says_which_months_there_are(demo_warehouse):
    env = {**os.environ, "WAREHOUSE": str(demo_warehouse)}
    done = subprocess.run([sys.executable, "-m", "dashboard.report", "--month", "1999-01",
                           "--out", str(OUT / "never.pdf")], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "januari 1999" in done.stderr and "MONTH=ÅÅÅÅ-MM" in done.stderr
    assert not (OUT / "never.pdf").exists()


def test_the_overview_page_offers_the_report_of_the_projects_the_user_may_see(published):
    everyone = app_as("styrgrupp", "overview.py")
    assert everyone.selectbox(key="report_project").options == [
        "Alla projekt", *(f"{p} · {n}" for p, n in query(published, """
            SELECT project_id, name_sv FROM marts.dim_project ORDER BY start_date, project_id"""))]
    manager = app_as("projektledare", "overview.py", projects=["ETST"])
    assert manager.selectbox(key="report_project").options == ["ETST · Etablering Stockholm"]


@pytest.mark.browser
def test_the_download_on_the_overview_page_in_a_real_browser(demo_warehouse):
    """The button makes the PDF in the server (Chromium started from Streamlit's script
    thread), in the page's language, for the chosen project and month."""
    from tests.live import choose, chromium, settle, streamlit_server

    env = dict(os.environ, WAREHOUSE=str(demo_warehouse), KEDJAN_DEMO_MODE="1")
    with streamlit_server(env, "streamlit-report.log") as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        page.goto(url)
        settle(page)
        choose(page, "Roll (demo)", "styrgrupp")
        settle(page)
        choose(page, sv("rp_download_for"), "ETST · Etablering Stockholm")
        settle(page)
        with page.expect_download(timeout=300_000) as download_info:
            page.get_by_role("button", name=sv("rp_download")).click()
        download = download_info.value
        assert re.fullmatch(r"lagesrapport_ETST_\d{4}-\d{2}_sv\.pdf", download.suggested_filename)
        target = OUT / f"download_{download.suggested_filename}"
        OUT.mkdir(parents=True, exist_ok=True)
        download.save_as(str(target))
    text = flat(pdf_text(target, layout=True))
    month = download.suggested_filename.split("_")[2]
    (latest,), = query(settings.serving(demo_warehouse), """
        SELECT strftime(max(month), '%Y-%m') FROM marts.dim_month
        WHERE month <= (SELECT max(reporting_end_month) FROM marts.dim_project)""")
    assert month == latest  # the slider's default: the latest month of data
    assert "Lägesrapport · Etablering Stockholm" in text
    assert "HEART" not in text and small_counts(pdf_text(target, layout=True)) == []
