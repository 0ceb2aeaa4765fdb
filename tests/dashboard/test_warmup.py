"""The views computed ahead (dashboard.warmup): the pages read them, and compute no view
of their own."""

import streamlit as st

from dashboard import protect, warmup
from tests.conftest import app_as


def test_pages_read_the_views_computed_ahead(published, monkeypatch):
    st.cache_resource.clear()
    warmup.warm()

    def computed_during_the_page(self, *args, **kwargs):
        raise AssertionError("a page computed the protection itself")

    monkeypatch.setattr(protect.Disclosure, "solve", computed_during_the_page)
    for role in ("styrgrupp", "projektledare"):
        for page in ("overview.py", "kpi.py", "esf.py"):
            app_as(role, page)  # fails on the page's exception
    st.cache_resource.clear()  # the solve above is unusable: nothing may have been cached with it


def test_no_thread_outside_a_server(published):
    app_as("styrgrupp", "overview.py")
    assert warmup._thread is None  # AppTest's runtime is a mock; a test process moves WAREHOUSE
