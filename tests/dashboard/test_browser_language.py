"""Every page as every role sees it, in Swedish and in English, in a real browser: the
visible text (the page, its tables' cells, its charts' labels) in the UI language only.

Fails on ``None``, ``nan``, ``NaT``, months written ``2014-01``, and in the Swedish UI on
raw codes, English month abbreviations, dot decimals and English words, in the English UI
on Swedish words; on a headline value cut short ("…"); on ``<html lang>`` not the UI
language. Screenshots of every page go to test-artifacts/language/<role>-<language>-<page>.png.

Left as they are written: the projects' owners (names of organisations, from
config/projects.yml), the messages of the refresh, ingest and the gate in the data
steward's tables (their columns MESSAGES; English, from the pipeline, which the dashboard
does not import), and the marts' column descriptions in the SQL page's schema browser
(dbt's docs, in English, for analysts), whose expanders stay closed.
"""

import re

import duckdb
import pytest

import settings
from dashboard.access import ROLES
from dashboard.labels import text
from tests.live import ARTIFACTS, choose, screenshot, settle, slug

pytestmark = pytest.mark.browser

SHOTS = "language"

EVERYWHERE = {
    "a missing value": r"\b(None|nan|NaN|NaT|null)\b",
    "a month written 2014-01": r"(?<![\w-])(19|20)\d\d-(0[1-9]|1[0-2])(?![\w-])",
}
SWEDISH_UI = {
    "a raw code": r"\b(invalid_\w+|unknown_\w+|missing_(value|fields)|extra_fields|duplicate_row|"
                  r"month_mismatch|unknown)\b",
    "an English month": r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b",
    "a dot decimal": r"(?<![\w.])\d+\.\d+(?![\w.])",
    "a gender code": r"(?<![\w<.])[KM](?![\w.])",
    "English words": r"\b(published|unchanged|loaded|rejected|failed|passed|critical|warning|"
                     r"True|False|yes|no|the|and|of)\b",
}
ENGLISH_UI = {
    "Swedish words": r"\b(och|för|med|inte|att|till|från|av|Kvinnor|Män|Alla|Månad|Värde|Mål|"
                     r"Täljare|Nämnare|Senaste|Ladda|Skyddat|Diagrammet|publicerad|ja|nej|"
                     r"januari|februari|mars|maj|juni|juli|augusti|oktober|okt|"
                     r"Översikt|Projekt|Datakvalitet|Kohort|Steg)\b",
    "a Swedish month": r"\b(jan|feb|mar|apr|jun|jul|aug|sep|okt|nov|dec)\.",
}

MESSAGES = [text(f"dq_col_{c}", lang) for c in ("message", "error", "warnings", "details")
            for lang in ("sv", "en")]
# The visible text of the main area, the cells a table draws (its accessible grid, which
# holds what the canvas shows), the labels of the charts (SVG text), the sidebar's
# navigation and demo banner.
VISIBLE_TEXT = """messages => {
    const main = document.querySelector('[data-testid="stMain"]');
    const parts = [main.innerText];
    for (const grid of main.querySelectorAll('[role="grid"]')) {
        const skip = new Set([...grid.querySelectorAll('[role="columnheader"]')]
            .filter(h => messages.includes(h.textContent.trim()))
            .map(h => h.getAttribute('aria-colindex')));
        for (const cell of grid.querySelectorAll('[role="gridcell"], [role="columnheader"]'))
            if (!skip.has(cell.getAttribute('aria-colindex'))) parts.push(cell.textContent);
    }
    for (const label of main.querySelectorAll('svg.main-svg text')) parts.push(label.textContent);
    for (const el of document.querySelectorAll(
            '[data-testid="stSidebarNav"], [data-testid="stSidebar"] [data-testid="stAlert"]'))
        parts.push(el.innerText);
    return parts.join('\\n');
}"""
# Headline values whose text does not fit their box.
CUT_METRICS = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
    .filter(el => [el, ...el.children].some(e => e.scrollWidth > e.clientWidth + 1))
    .map(el => el.innerText)"""
OPEN_EXPANDERS = """() => { for (const details of document.querySelectorAll(
    '[data-testid="stMain"] [data-testid="stExpander"] details:not([open]) summary'))
    details.click(); }"""


def findings(visible: str, language: str, names: tuple = ()) -> list[str]:
    """What ``visible`` holds that the UI language does not allow (``names`` left out)."""
    for name in names:
        visible = visible.replace(name, " ")
    checks = {**EVERYWHERE, **(SWEDISH_UI if language == "sv" else ENGLISH_UI)}
    found = []
    for what, pattern in checks.items():
        for match in re.finditer(pattern, visible):
            line = visible[max(0, match.start() - 60):match.end() + 60].replace("\n", " ⏎ ")
            found.append(f"{what} {match.group(0)!r} in …{line}…")
    return found


def test_findings_by_hand():
    assert findings("Värde 0.4421 · 44,2 % · NaT · jan. 2014 · Jan 2014 · 2014-01", "sv") == [
        "a missing value 'NaT' in …Värde 0.4421 · 44,2 % · NaT · jan. 2014 · Jan 2014 · 2014-01…",
        "a month written 2014-01 '2014-01' in …Värde 0.4421 · 44,2 % · NaT · jan. 2014 · Jan 2014"
        " · 2014-01…",
        "an English month 'Jan' in …Värde 0.4421 · 44,2 % · NaT · jan. 2014 · Jan 2014 · 2014-01…",
        "a dot decimal '0.4421' in …Värde 0.4421 · 44,2 % · NaT · jan. 2014 · Jan 2014 · 2014-01…",
    ]
    assert findings("Kvinnor 12 · <5 · .. · K2 2014 · 3 jan. 2014 · 127.0.0.1", "sv") == []
    assert findings("Women 1,924 · 44.7% · Q2 2014 · Jan 3, 2014", "en") == []
    assert [f.split(" '")[0] for f in findings("Värde för jan. 2014", "en")] == [
        "Swedish words", "Swedish words", "a Swedish month"]


def pick_language(page, language: str) -> None:
    if language == "en":
        page.get_by_text("English", exact=True).click()
        settle(page)


@pytest.fixture(scope="module")
def owners(demo_warehouse) -> tuple:
    with duckdb.connect(str(settings.serving(demo_warehouse)), read_only=True) as con:
        return tuple(r[0] for r in con.execute(
            "SELECT DISTINCT owner FROM marts.dim_project WHERE owner IS NOT NULL").fetchall())


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_speaks_the_ui_language(browser, server, owners, role, language):
    (ARTIFACTS / SHOTS).mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(server)
    settle(page)
    pick_language(page, language)
    if role != ROLES[0]:
        choose(page, text("demo_role", language), role)
        settle(page)
    problems = []
    links = page.locator('[data-testid="stSidebarNavLink"]')
    titles = [t.strip() for t in links.all_inner_texts()]
    assert titles, "no pages"
    for i, title in enumerate(titles):
        if links.nth(i).get_attribute("aria-current") != "page":
            links.nth(i).click()
            settle(page)
        if title == text("sql", language):  # the result table too
            page.get_by_role("button", name=text("sql_run", language), exact=True).click()
            settle(page)
        if title != text("sql", language):
            page.evaluate(OPEN_EXPANDERS)
            settle(page)
        lang = page.evaluate("() => document.documentElement.lang")
        if lang != language:
            problems.append(f"{title}: <html lang={lang!r}>")
        if page.locator('[data-testid="stException"]').count():
            problems.append(f"{title}: an exception")
        problems += [f"{title}: headline cut short: {v!r}" for v in page.evaluate(CUT_METRICS)]
        problems += [f"{title}: {f}"
                     for f in findings(page.evaluate(VISIBLE_TEXT, MESSAGES), language, owners)]
        screenshot(page, f"{SHOTS}/{role}-{language}-{slug(title)}")
    page.close()
    assert not problems, "\n".join(dict.fromkeys(problems))
