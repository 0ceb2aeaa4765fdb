"""End to end in a real headless browser: the app on loopback, every page, a filter, a download.

Starts ``streamlit run dashboard/app.py`` on a free port against the demo warehouse, and
drives Debian's Chromium (never a downloaded browser) with Playwright's Python client as
the data steward, who sees every page. Screenshots go to test-artifacts/<page>.png, the
render times (click to finished rendering, measured in the browser) to
test-artifacts/render_times.json and the test's output.
"""

import csv
import io
import json
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import settings
from tests.live import ARTIFACTS, OBSERVE, REPO, choose, rendered, screenshot, settle, slug, start_clock

pytestmark = pytest.mark.browser

def expected_women(serving: Path) -> pd.DataFrame:
    """Women in ETST as of its reporting month: people per step (independent of the app)."""
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute("""
            WITH p AS (
                SELECT last_day(reporting_end_month) AS cutoff FROM marts.dim_project
                WHERE project_id = 'ETST')
            SELECT count(*) AS inskriven,
                   count(*) FILTER (WHERE plan_date <= cutoff) AS plan,
                   count(*) FILTER (WHERE insats_date <= cutoff) AS insats,
                   count(*) FILTER (WHERE arbetsgivarkontakt_date <= cutoff) AS arbetsgivarkontakt,
                   count(*) FILTER (WHERE anstalld_date <= cutoff) AS anstalld,
                   count(*) FILTER (WHERE sjalvforsorjande_date <= cutoff) AS sjalvforsorjande
            FROM marts.fct_participation_steps, p
            WHERE project_id = 'ETST' AND gender = 'K' AND inskriven_date <= cutoff""").df()


def test_every_page_in_a_real_browser(browser, server, demo_warehouse):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    failures, times = [], {}
    started = time.perf_counter()
    page.goto(server)
    settle(page)
    times["first load (wall clock)"] = time.perf_counter() - started
    page.evaluate(OBSERVE)

    t0 = start_clock(page)
    choose(page, "Roll (demo)", "dataansvarig")
    times["role picker"] = rendered(page, t0)

    links = page.locator('[data-testid="stSidebarNavLink"]')
    titles = [t.strip() for t in links.all_inner_texts()]
    assert "Kedjan" in titles and "Datakvalitet" in titles and "SQL" in titles, titles
    for i, title in enumerate(titles):
        link = links.nth(i)
        if link.get_attribute("aria-current") == "page":  # shown already: the role's run
            seconds = times[title] = times["role picker"]
        else:
            t0 = start_clock(page)
            link.click()
            seconds = times[title] = rendered(page, t0)
        heading = page.locator('[data-testid="stMain"] h1').first.inner_text().strip()
        exceptions = page.locator('[data-testid="stException"]')
        shot = screenshot(page, slug(title))
        print(f"\nbrowser render {title}: {seconds:.2f} s -> {shot.relative_to(REPO)}")
        if exceptions.count():
            failures.append(f"{title}: {exceptions.first.inner_text()[:300]}")
        if not heading:
            failures.append(f"{title}: no heading")

    # The funnel page: a filter and a download.
    t0 = start_clock(page)
    links.nth(titles.index("Kedjan")).click()
    rendered(page, t0)
    women = expected_women(settings.serving(demo_warehouse)).iloc[0]
    t0 = start_clock(page)
    choose(page, "Kön", "Kvinnor")
    times["Kedjan: filter Kön = Kvinnor"] = rendered(page, t0)
    metric = page.locator('[data-testid="stMetricValue"]').first.inner_text().strip()
    assert metric == str(int(women["inskriven"]))
    screenshot(page, "kedjan-kvinnor")

    with page.expect_download() as download_info:
        page.locator('[data-testid="stDownloadButton"] button').first.click()
    download = download_info.value
    settle(page)  # the click reruns the page
    assert download.suggested_filename == "kedjan_ETST.csv"
    target = ARTIFACTS / download.suggested_filename
    download.save_as(str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Swedish Excel
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Steg", "Deltagare (nämnare)", "Nått steget"]
    steps = ["Inskriven", "Etableringsplan", "Första insats", "Arbetsgivarkontakt", "Anställd",
             "Självförsörjande"]
    assert [r[0] for r in body] == steps
    expected = [int(women[c]) for c in ("inskriven", "plan", "insats", "arbetsgivarkontakt",
                                        "anstalld", "sjalvforsorjande")]
    assert [int(r[2]) for r in body] == expected
    assert all(int(r[1]) == int(women["inskriven"]) for r in body)

    # The SQL page: run the example query.
    t0 = start_clock(page)
    links.nth(titles.index("SQL")).click()
    rendered(page, t0)
    tables_before = page.locator('[data-testid="stDataFrame"]').count()
    t0 = start_clock(page)
    page.get_by_role("button", name="Kör", exact=True).click()
    times["SQL: run the example query"] = rendered(page, t0)
    assert page.locator('[data-testid="stDataFrame"]').count() == tables_before + 1
    assert not page.locator('[data-testid="stException"]').count()
    screenshot(page, "sql-resultat")

    (ARTIFACTS / "render_times.json").write_text(json.dumps(
        {k: round(v, 3) for k, v in times.items()}, indent=2, ensure_ascii=False), encoding="utf-8")
    for name, seconds in times.items():
        print(f"browser render time {name}: {seconds:.2f} s")
    page.close()
    assert not failures, failures


def reached_anstalld(serving: Path) -> list[str]:
    """ETST's participants employed by its reporting month (independent of the app)."""
    with duckdb.connect(str(serving), read_only=True) as con:
        return [k for (k,) in con.execute("""
            WITH p AS (
                SELECT last_day(reporting_end_month) AS cutoff FROM marts.dim_project
                WHERE project_id = 'ETST')
            SELECT person_key FROM marts.fct_participation_steps, p
            WHERE project_id = 'ETST' AND inskriven_date <= cutoff AND anstalld_date <= cutoff
            ORDER BY inskriven_date, person_key""").fetchall()]


def click_bar(page, point: int) -> None:
    """Click the middle of bar ``point`` of the first trace of the page's first chart, as
    a user would (plotly takes the click on the layer above the bars)."""
    bar = page.locator('[data-testid="stPlotlyChart"]').first.locator(
        "g.barlayer g.trace").first.locator("g.point").nth(point)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.wait_for_timeout(300)  # plotly finds the point under the mouse on hover
    page.mouse.click(x, y)


def open_kedjan_as(page, role: str) -> None:
    t0 = start_clock(page)
    choose(page, "Roll (demo)", role)
    rendered(page, t0)
    t0 = start_clock(page)
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Kedjan").first.click()
    rendered(page, t0)


def test_clicking_a_bar_opens_its_participants_for_a_project_manager_only(browser, server,
                                                                        demo_warehouse):
    employed = reached_anstalld(settings.serving(demo_warehouse))
    assert len(employed) > 5
    listed = f"{len(employed)} deltagare"
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page.goto(server)
    settle(page)
    page.evaluate(OBSERVE)

    # The project manager, first of Entry Hub (the picker's default): told it has no
    # chain data; then of ETST as well: a click on Anställd.
    open_kedjan_as(page, "projektledare")
    assert page.get_by_text("Det finns inga data i kedjan för Entry Hub").count() == 1
    t0 = start_clock(page)
    choose(page, "Mina projekt (demo)", "ETST")
    rendered(page, t0)
    assert page.get_by_text("Klicka på ett stegs stapel för att se stegets deltagare.").count() == 1
    assert page.get_by_text(listed, exact=True).count() == 0
    t0 = start_clock(page)
    click_bar(page, 4)  # the steps are inskriven, plan, insats, arbetsgivarkontakt, anstalld, ...
    rendered(page, t0)
    assert page.get_by_text("Deltagare: Anställd", exact=True).count() == 1
    assert page.get_by_text(listed, exact=True).count() == 1
    screenshot(page, "kedjan-klick-projektledare")
    # The download holds the whole keys (the screen a shortened one), in the list's order.
    with page.expect_download() as download_info:
        page.locator(".st-key-funnel_people_step-csv button").click()
    settle(page)
    target = ARTIFACTS / "kedjan-klick-deltagare.csv"
    download_info.value.save_as(str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig")),
                               delimiter=";"))
    assert [r["person_key"] for r in rows] == employed

    # The steering group: the same click does nothing.
    open_kedjan_as(page, "styrgrupp")
    assert page.get_by_text("Klicka på ett stegs stapel för att se stegets deltagare.").count() == 0
    click_bar(page, 4)
    page.wait_for_timeout(1500)  # a rerun, had there been one, would have started by now
    settle(page)
    assert page.get_by_text("Deltagare: Anställd", exact=True).count() == 0
    assert page.locator(".st-key-funnel_people_step-csv").count() == 0
    assert not page.locator('[data-testid="stException"]').count()
    screenshot(page, "kedjan-klick-styrgrupp")
    page.close()
