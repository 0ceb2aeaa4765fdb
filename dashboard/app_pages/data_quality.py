"""Datakvalitet: what each refresh loaded, rejected and quarantined (data steward)."""

import streamlit as st

from dashboard.components import as_of_banner, show_table
from dashboard.labels import text
from dashboard.queries import data_quality as queries

st.title(text("data_quality"))
as_of_banner()

st.subheader(text("freshness"))
show_table(queries.freshness(), "freshness", "freshness")

log = queries.load_log()
rejected = log[log["status"] != "loaded"]
if len(rejected):
    st.subheader(text("rejected_files"))
    show_table(rejected[["file", "status", "error"]], "rejected_files", "rejected")

st.subheader(text("load_log"))
show_table(log, "load_log", "load_log")

st.subheader(text("quarantine"))
by_reason = queries.quarantine_by_reason()
if by_reason.empty:
    st.info(text("no_quarantine"))
else:
    show_table(by_reason, "quarantine_by_reason", "quarantine")
    reason = st.selectbox(text("quarantine_rows"), sorted(by_reason["reason"].unique()))
    show_table(queries.quarantined_rows(reason), f"quarantine_{reason}", "quarantine_rows")
