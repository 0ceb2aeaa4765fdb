"""A real Streamlit server on loopback and Debian's Chromium, for the browser tests and
benchmarks/pages.py; how long a page takes to render, measured in the browser.

Never a downloaded browser: Playwright's Python client drives /usr/bin/chromium.
"""

import contextlib
import re
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, no proxy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str) -> tuple[int, bytes]:
    """Status and body of an anonymous GET (no cookie, no session)."""
    try:
        with DIRECT.open(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@contextlib.contextmanager
def streamlit_server(env: dict, log_name: str, cwd: Path = REPO, port: int | None = None):
    """``streamlit run dashboard/app.py`` on 127.0.0.1; yields its URL once it answers.

    The server reads .streamlit/ (config.toml, secrets.toml) of ``cwd``; its output goes to
    test-artifacts/``log_name``.
    """
    port = port or free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / log_name
    log = log_path.open("wb")  # a file, so a chatty server never blocks
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard" / "app.py"),
         "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with DIRECT.open(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                output = log_path.read_text(errors="replace")[-3000:]
                pytest.fail(f"streamlit did not answer on {url}: {output}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@contextlib.contextmanager
def chromium():
    """Headless Debian Chromium (skips the test when it is not installed)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# Timing in the browser, shared by the browser tests and benchmarks/pages.py.
SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null
        && app.getAttribute('data-test-script-state') !== 'running'
        && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
        && !document.querySelector('[data-testid="stSkeleton"]')
        && document.querySelector('[data-testid="stMain"] h1') !== null;
}"""


# Records every change of the app's script state with the browser's clock, so a page's
# render time is measured in the browser: from the click to the end of the script run.
# One callback may carry several changes (a fast run starts and ends in one batch): the
# state each change entered is the next change's old value, the last one's the current.
# It also records the last change of the app's elements (``last``), for a run that leaves
# no trace in the script state (see ``rendered``).
OBSERVE = """() => {
    if (window.__kedjan) return;
    const app = document.querySelector('[data-testid="stApp"]');
    const name = 'data-test-script-state';
    window.__kedjan = {events: [], last: null};
    new MutationObserver(records => {
        const now = performance.now();
        records.slice(1).map(r => r.oldValue).concat([app.getAttribute(name)])
            .forEach(state => window.__kedjan.events.push([state, now]));
    }).observe(app, {attributes: true, attributeOldValue: true, attributeFilter: [name]});
    new MutationObserver(() => { window.__kedjan.last = performance.now(); })
        .observe(app, {childList: true, subtree: true, characterData: true});
}"""
RUN_DONE = """() => { const e = window.__kedjan.events;
    return e.some(x => x[0] === 'running') && e[e.length - 1][0] !== 'running'; }"""
# Done: the run ended, or (a run of a few ms, which starts and ends within one render of
# the app, so its script state never changes) the app is settled and none of its elements
# has changed for ``quiet`` ms since a change after ``t0``.
DONE = f"""([t0, quiet]) => ({RUN_DONE})() || (window.__kedjan.last !== null
    && window.__kedjan.last > t0 && performance.now() - window.__kedjan.last > quiet
    && ({SETTLED})())"""
QUIET_MS = 1_000


def start_clock(page) -> float:
    """The browser's clock before an action, once no script run is in flight (a run still
    going would flow into the action's run without a new 'running' event)."""
    page.wait_for_function(SETTLED, timeout=90_000)
    return page.evaluate("() => { window.__kedjan.events = []; return performance.now(); }")


def rendered(page, t0: float) -> float:
    """Seconds from t0 to the end of the script run that the action started (browser
    clock); for a run that left no trace in the script state, to the app's last change."""
    page.wait_for_function(DONE, arg=[t0, QUIET_MS], timeout=90_000)
    settle(page)
    return page.evaluate(f"""t0 => {{ const k = window.__kedjan;
        if (!({RUN_DONE})()) return (k.last - t0) / 1000;
        const done = k.events.filter(x => x[0] !== 'running');
        return (done[done.length - 1][1] - t0) / 1000; }}""", t0)


def settle(page, timeout: float = 90_000) -> None:
    """Wait until the script has finished and nothing is still drawing."""
    page.wait_for_timeout(300)
    page.wait_for_function(SETTLED, timeout=timeout)
    # Playwright never reports network idle once the page holds an st.iframe (the Data
    # Docs on Datakvalitet), even with nothing in flight: wait for it a few seconds at most.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_load_state("networkidle", timeout=5_000)
    page.wait_for_timeout(300)
    page.wait_for_function(SETTLED, timeout=timeout)


def choose(page, label: str, option: str) -> None:
    """Pick an option of a select box or multiselect by its label."""
    page.get_by_role("combobox", name=label, exact=True).first.click()
    page.get_by_role("option", name=option, exact=True).first.click()
    if page.get_by_role("listbox").count():
        page.keyboard.press("Escape")  # a multiselect stays open


def slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-") or "page"


def screenshot(page, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport."""
    height = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]');
        return main ? main.scrollHeight : document.body.scrollHeight; }""")
    page.set_viewport_size({"width": 1400, "height": max(900, min(int(height) + 40, 15000))})
    page.wait_for_timeout(500)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 900})
    return path
