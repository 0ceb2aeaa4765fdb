"""The Lägesrapport's download on the Översikt page.

The user's role decides which projects the report may hold (``projects``: those the page
shows them); its numbers are always the steering group's, protected, whatever the role.
The PDF is made only when the button is clicked (Chromium takes seconds), in the page's
language, and the click does not rerun the page.
"""

import pandas as pd
import streamlit as st

from dashboard import charts_kpi as charts
from dashboard.labels import text

ALL = "all"


def download(projects: pd.DataFrame, as_of: pd.Timestamp) -> None:
    from dashboard.report import render

    lang = charts.language()
    # The option texts are fixed here: Streamlit may format options outside the script
    # run, where the session's language is not at hand.
    labels = {p: f"{p} · {n}" for p, n in zip(projects["project_id"], projects[f"name_{lang}"])}
    if len(labels) > 1:
        labels = {ALL: text("rp_all_projects"), **labels}
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    choice = left.selectbox(text("rp_download_for"), list(labels), key="report_project",
                            format_func=labels.get)
    chosen = [p for p in labels if p != ALL] if choice == ALL else [choice]
    right.download_button(
        text("rp_download"), lambda: render.make(chosen, as_of, lang),
        f"lagesrapport_{'alla' if choice == ALL else choice}_{as_of:%Y-%m}_{lang}.pdf",
        "application/pdf", key="report_download", on_click="ignore",
        icon=":material/picture_as_pdf:", help=text("rp_download_help"))
