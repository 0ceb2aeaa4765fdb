"""Every dashboard page's render time, server side and in the browser: prints figures,
asserts nothing.

    python benchmarks/pages.py --warehouse W [--repeats N] [--mode apptest|browser]

or ``from benchmarks.pages import measure``. One figure per (page, role, mode), for every
page each role can open (the role's pages are what the app's navigation registers):

* ``apptest``, server side: ``AppTest.run()`` after ``switch_page`` to the page, in this
  process. It includes AppTest's own parsing of the page's elements, not the browser.
* ``browser``: the real app (``streamlit run``, demo mode, on loopback) driven in Debian's
  Chromium: from the click on the page's link to the end of the script run it started, on
  the browser's clock (tests/live.py's ``start_clock`` and ``rendered``; the next click
  waits until the page has settled: no run in flight, the page's heading shown).

Cold is the first load after the app starts, with Streamlit's caches empty; warm are the
``repeats`` loads after it. In AppTest every (page, role) starts with the caches cleared
(st.cache_data and st.cache_resource; the dashboard's modules are imported by then). In the
browser every role gets a fresh server, so each page's first load is cold for that role;
the default page (Översikt) is first drawn on opening the app, as the role picker's default
(styrgrupp), so its cold figure is, for styrgrupp, navigation start to settled (which
includes loading the app's JavaScript and the server's first import of the dashboard's
modules), and for the other roles the role picker's run, with the shared queries (project
list, as-of date) already cached by the first draw. Warm loads click the role's pages in
turn. The dashboard caches query results and views per serving-file version
(dashboard/queries, dashboard/views), so a warm load reads no file.

Figures: ``cold_s``, and the median and p95 of the warm loads; ``loads`` is the number of
warm loads. p95 is the nearest-rank 95th percentile: with fewer than 20 warm loads it is
the slowest of them.
"""

import argparse
import ast
import math
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for tests.live, which is not installed

import streamlit as st
from streamlit import config as st_config
from streamlit.logger import set_log_level
from streamlit.testing.v1 import AppTest

import settings
from dashboard.access import ROLES
from dashboard.labels import TEXTS
from tests.live import (
    OBSERVE,
    SETTLED,
    choose,
    chromium,
    rendered,
    start_clock,
    streamlit_server,
)

APP = REPO / "dashboard" / "app.py"
MODES = ("apptest", "browser")


def declared_pages() -> list[tuple[str, str]]:
    """(page name, Swedish title) of every page, in the order of PAGES in dashboard/app.py.

    Read from the file, not imported: importing app.py would run the app.
    """
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    pages = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                 and getattr(node.targets[0], "id", None) == "PAGES")
    return [(Path(entry.elts[0].value).stem, TEXTS[entry.elts[1].value][0])
            for entry in pages.elts]


def p95(seconds: list[float]) -> float:
    """Nearest rank: the slowest load when there are fewer than 20."""
    return sorted(seconds)[math.ceil(0.95 * len(seconds)) - 1]


def figure(page: str, role: str, mode: str, seconds: list[float]) -> dict:
    warm = seconds[1:]
    return {"page": page, "role": role, "mode": mode, "cold_s": round(seconds[0], 3),
            "warm_median_s": round(statistics.median(warm), 3),
            "warm_p95_s": round(p95(warm), 3), "loads": len(warm)}


def apptest_loads(page: str, role: str, repeats: int) -> list[float] | None:
    """Seconds of 1 + ``repeats`` loads of ``page`` as ``role``, the first with the caches
    empty; None when the role does not see the page."""
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.session_state["demo_role"] = role
    app.session_state["language"] = "sv"
    app.run()  # the default page; registers the role's pages for switch_page
    try:
        app.switch_page(f"app_pages/{page}.py")
    except ValueError:  # not among the role's pages
        return None
    st.cache_data.clear()
    st.cache_resource.clear()
    seconds = []
    for _ in range(1 + repeats):
        app.switch_page(f"app_pages/{page}.py")
        started = time.perf_counter()
        app.run()
        seconds.append(time.perf_counter() - started)
        if app.exception:
            raise RuntimeError(f"{page} as {role}: {app.exception[0].value}")
    return seconds


def measure_apptest(warehouse: Path, repeats: int) -> list[dict]:
    # AppTest has no server: demo mode needs the loopback address `make dashboard` gives it
    # (as in tests/conftest.py), and the full error text helps when a page fails.
    st_config.set_option("server.address", "127.0.0.1")
    st_config.set_option("client.showErrorDetails", "full")
    # Outside a server Streamlit warns on every cache call; expected here.
    set_log_level("error")
    # The app reads these in this process (a benchmark is a process of its own).
    os.environ.update(WAREHOUSE=str(warehouse), KEDJAN_DEMO_MODE="1")
    figures = []
    for page, _ in declared_pages():
        for role in ROLES:
            seconds = apptest_loads(page, role, repeats)
            if seconds is not None:
                figures.append(figure(page, role, "apptest", seconds))
    return figures


def refuse_error(tab, title: str, role: str) -> None:
    """A page that failed has no render time worth reporting."""
    error = tab.locator('[data-testid="stException"]')
    if error.count():
        raise RuntimeError(f"{title} as {role}: {error.first.inner_text()[:300]}")


def browser_loads(browser, url: str, role: str, repeats: int) -> dict[str, list[float]]:
    """Seconds of each load of each of ``role``'s pages, by page title, in a new session
    on a server that has served nothing yet."""
    tab = browser.new_page(viewport={"width": 1400, "height": 900})
    tab.goto(url)
    # performance.now() counts from the navigation's start.
    first = tab.wait_for_function(f"() => ({SETTLED})() && performance.now()",
                                  timeout=90_000).json_value() / 1000
    tab.evaluate(OBSERVE)
    if role != ROLES[0]:  # the picker's default
        t0 = start_clock(tab)
        choose(tab, "Roll (demo)", role)
        first = rendered(tab, t0)
    links = tab.locator('[data-testid="stSidebarNavLink"]')
    titles = [title.strip() for title in links.all_inner_texts()]
    shown = next(i for i in range(len(titles)) if links.nth(i).get_attribute("aria-current") == "page")
    refuse_error(tab, titles[shown], role)
    loads = {titles[shown]: [first]}
    # Cold: every other page once; then warm: all pages in turn, so each click changes page.
    for i in [i for i in range(len(titles)) if i != shown] + list(range(len(titles))) * repeats:
        t0 = start_clock(tab)
        links.nth(i).click()
        loads.setdefault(titles[i], []).append(rendered(tab, t0))
        refuse_error(tab, titles[i], role)
    tab.close()
    return loads


def measure_browser(warehouse: Path, repeats: int) -> list[dict]:
    env = dict(os.environ, WAREHOUSE=str(warehouse), KEDJAN_DEMO_MODE="1")
    page_by_title = {title: page for page, title in declared_pages()}
    figures = []
    with chromium() as browser:
        for role in ROLES:
            # A fresh server per role, so that role's first loads find the caches empty.
            with streamlit_server(env, f"bench-pages-{role}.log") as url:
                loads = browser_loads(browser, url, role, repeats)
            figures += [figure(page_by_title[title], role, "browser", seconds)
                        for title, seconds in loads.items()]
    order = [page for page, _ in declared_pages()]
    return sorted(figures, key=lambda f: (order.index(f["page"]), ROLES.index(f["role"])))


def measure(warehouse: Path, repeats: int = 10, modes: tuple[str, ...] = MODES) -> list[dict]:
    """One figure per (page, role, mode) on the published ``warehouse`` (its WAREHOUSE path)."""
    if repeats < 1:
        raise ValueError("repeats must be at least 1: warm figures need a warm load")
    if not settings.serving(Path(warehouse)).exists():
        raise FileNotFoundError(f"nothing published beside {warehouse}: run the refresh first")
    figures = []
    if "apptest" in modes:
        figures += measure_apptest(Path(warehouse), repeats)
    if "browser" in modes:
        figures += measure_browser(Path(warehouse), repeats)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--mode", choices=MODES, action="append",
                        help="only this mode (repeatable); default both")
    args = parser.parse_args()
    figures = measure(args.warehouse, args.repeats, tuple(args.mode or MODES))
    print(f"{'mode':<8} {'page':<13} {'role':<14} {'cold s':>7} {'median s':>9} {'p95 s':>7} loads")
    for f in figures:
        print(f"{f['mode']:<8} {f['page']:<13} {f['role']:<14} {f['cold_s']:>7.3f} "
              f"{f['warm_median_s']:>9.3f} {f['warm_p95_s']:>7.3f} {f['loads']:>5}")


if __name__ == "__main__":
    main()
