"""The Lägesrapport printed: the HTML document and its PDF (see dashboard.report)."""

import contextlib
import html
import json
import os
from pathlib import Path

import jinja2
import plotly.offline
import streamlit as st

from dashboard.labels import LANGUAGES, text
from dashboard.report.content import ReportError, collect, markdown_bold

HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
RENDER_TIMEOUT_MS = 60_000


def chromium() -> str:
    """Debian's Chromium (KEDJAN_CHROMIUM names another executable)."""
    return os.environ.get("KEDJAN_CHROMIUM") or "/usr/bin/chromium"


@contextlib.contextmanager
def language(code: str):
    """Labels, number formats and figures in ``code`` (sv, en) while the report is made.

    The dashboard's formats read the session's language; on the Översikt page the report is
    made in the page's own language, so this changes nothing there."""
    if code not in LANGUAGES:
        raise ReportError(f"LANG={code}: sv or en")
    before = st.session_state.get("language")
    st.session_state["language"] = code
    try:
        yield
    finally:
        if before is None:
            del st.session_state["language"]
        else:
            st.session_state["language"] = before


def html_document(report) -> str:
    """The report as one self-contained HTML document (plotly.js inline)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    figures = json.dumps([{"id": f.id, "spec": f.spec()} for f in report.figures])
    return env.get_template("template.html.j2").render(
        report=report, t=text, lang=st.session_state.get("language", "sv"),
        css=(HERE / "report.css").read_text(encoding="utf-8"),
        status_rule=markdown_bold(text("ov_status_rule")),
        # Inside <script>, "</" would end the element: JSON allows "<\/".
        figures=figures.replace("</", "<\\/"),
        plotly_js=plotly.offline.get_plotlyjs().replace("</script", "<\\/script"))


def _footer() -> str:
    """Page numbers and the protection note on every page (Chromium's footer template)."""
    note = html.escape(text("rp_protection_note"))
    return (f'<div style="font-family: DejaVu Sans, sans-serif; font-size: 7.5pt; color: #555; '
            f'width: 100%; margin: 0 15mm; display: flex; justify-content: space-between;">'
            f'<span>Kedjan · {note}</span><span>{html.escape(text("rp_page"))} '
            f'<span class="pageNumber"></span> {html.escape(text("rp_of"))} '
            f'<span class="totalPages"></span></span></div>')


def pdf(document: str) -> bytes:
    """``document`` printed to an A4 PDF by headless Chromium, once its figures are drawn."""
    from playwright.sync_api import sync_playwright

    executable = chromium()
    if not Path(executable).exists():
        raise ReportError(text("rp_no_chromium").format(path=executable))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort())  # nothing from anywhere
            page.set_content(document, wait_until="load")
            page.wait_for_function("document.body.dataset.ready !== undefined",
                                   timeout=RENDER_TIMEOUT_MS)
            ready = page.evaluate("document.body.dataset.ready")
            if ready != "yes":
                raise ReportError(f"plotly: {ready}")
            return page.pdf(format="A4", print_background=True, display_header_footer=True,
                            header_template="<span></span>", footer_template=_footer(),
                            margin={"top": "15mm", "bottom": "18mm", "left": "15mm",
                                    "right": "15mm"})
        finally:
            browser.close()


def make(project_ids: list[str] | None, as_of, code: str) -> bytes:
    """The PDF for ``project_ids`` (None: every project) as of ``as_of`` (None: the latest
    month), in language ``code``."""
    with language(code):
        return pdf(html_document(collect(project_ids, as_of)))
