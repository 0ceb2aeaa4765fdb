"""Kedjan's dashboard: `streamlit run dashboard/app.py` (make dashboard WAREHOUSE=...).

Builds the navigation for the signed-in user's role; pages are in app_pages/, one file a
page, layout only (their SQL is in dashboard/queries/).
"""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import access, queries, warmup  # noqa: E402
from dashboard.components import page_setup  # noqa: E402
from dashboard.labels import LANGUAGES, text  # noqa: E402

ALL = access.ROLES
# (page file, title key, url path, roles that see it)
PAGES = [
    ("overview.py", "overview", "oversikt", ALL),
    ("funnel.py", "funnel", "kedjan", ("styrgrupp", "projektledare", "dataansvarig", "analytiker")),
    ("kpi.py", "kpi", "kpi", ALL),
    ("projects.py", "projects", "projekt", ALL),
    ("esf.py", "esf", "esf-rapport", ALL),
    ("data_quality.py", "data_quality", "datakvalitet", ("dataansvarig",)),
    ("delivery.py", "delivery", "leverans", ("dataansvarig",)),
    ("sql.py", "sql", "sql", ("analytiker", "dataansvarig")),
]


st.set_page_config(page_title="Kedjan", layout="wide")
st.sidebar.radio("Språk / Language", LANGUAGES, horizontal=True, key="language", bind="query-params",
                 format_func=lambda code: {"sv": "Svenska", "en": "English"}[code])
page_setup()
warmup.start()  # the views of each published file, computed before readers ask
projects = queries.project_ids()
user = access.current_user(projects)
if user is None:
    st.stop()
if user.role is None:
    st.error(text("no_role"))
    st.stop()
st.session_state["kedjan_user"] = user
here = Path(__file__).resolve().parent / "app_pages"
mine = [(file, title, url) for file, title, url, roles in PAGES
        if user.role in roles and (here / file).exists()]
# The first page is the default, served at the root; it keeps its own path as well.
pages = [st.Page(str(here / file), title=text(title), url_path=url, default=i == 0)
         for i, (file, title, url) in enumerate(mine)]
if not pages:
    st.error(text("not_allowed"))
    st.stop()
st.navigation(pages).run()
