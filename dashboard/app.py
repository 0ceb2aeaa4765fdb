"""Kedjan's dashboard: `streamlit run dashboard/app.py` (make dashboard WAREHOUSE=...)."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.labels import LANGUAGES, text  # noqa: E402

st.set_page_config(page_title="Kedjan", layout="wide")
language = st.sidebar.radio("Språk / Language", LANGUAGES, horizontal=True, key="language")
pages = [
    st.Page("app_pages/data_quality.py", title=text("data_quality", language), url_path="datakvalitet"),
]
st.navigation(pages).run()
