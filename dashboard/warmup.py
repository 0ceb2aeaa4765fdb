"""The views computed before the first reader asks: once per published serving file, in a
thread of the dashboard's server process.

The views of dashboard.views cost seconds the first time (the steering group's
small-count protection solves linear programs for every project), and they are cached per
serving-file version, so without this the first reader after the server starts, and after
every publish, waits for them. The thread looks at the serving file's version every
``POLL_SECONDS``; when it has changed it computes, for every project, protected and not,
the KPI views, the statuses as of the latest month (Översikt's and the KPI page's
default) and the ESF indicators, into the caches the pages read. A page that asks for a
view the thread is computing waits for that computation (Streamlit locks each cache key)
instead of computing it again. What a viewer sees is unchanged: the pages still ask for
their own role's views, by the same keys.

Only in a server (``streamlit run``): a bare run has no runtime, and AppTest's is a mock
(a test process points WAREHOUSE at one warehouse after another).
"""

import threading
import time

import pandas as pd
from streamlit import runtime
from streamlit.logger import get_logger

from dashboard import queries, views
from dashboard.queries import overview

POLL_SECONDS = 10
_log = get_logger(__name__)  # Streamlit's handler and level: the server's output
_started = threading.Lock()
_thread: threading.Thread | None = None


def start() -> None:
    """Start the thread, once per server process."""
    global _thread
    if not runtime.exists() or type(runtime.get_instance()) is not runtime.Runtime:
        return
    with _started:
        if _thread is None:
            _thread = threading.Thread(target=_watch, name="kedjan-warmup", daemon=True)
            _thread.start()


def _watch() -> None:
    warmed = None
    while True:
        version = queries.version()
        if version[1] is not None and version != warmed:
            started = time.perf_counter()
            try:
                warm()
                _log.info("views of %s computed in %.1f s", version[0], time.perf_counter() - started)
            except Exception:  # a page that needs the view computes it and shows the error
                _log.exception("computing the views of %s ahead failed", version[0])
            warmed = version
        time.sleep(POLL_SECONDS)


def warm() -> None:
    """Every project's views, protected and not, as of the latest month."""
    months = overview.as_of_months()
    latest = None if months is None or months.empty else pd.Timestamp(months["month"].max())
    for project_id in queries.project_ids():
        for protected in (True, False):
            views.project_kpis(project_id, protected)
            if latest is not None:
                views.kpi_status(project_id, latest, protected)
            views.esf_indicators(project_id, protected)
