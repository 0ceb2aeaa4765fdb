"""Datakvalitet: what each refresh loaded, rejected and quarantined (data steward)."""

import streamlit as st

from dashboard import queries
from dashboard.labels import text

st.title(text("data_quality"))
log = queries.load_log()
if log is None:
    st.info(text("no_warehouse"))
    st.stop()

st.subheader(text("freshness"))
st.dataframe(queries.freshness(), hide_index=True)

rejected = log[log["status"] != "loaded"]
if len(rejected):
    st.subheader(text("rejected_files"))
    st.dataframe(rejected[["file", "status", "error"]], hide_index=True)

st.subheader(text("load_log"))
st.dataframe(log, hide_index=True)

st.subheader(text("quarantine"))
by_reason = queries.quarantine_by_reason()
if by_reason.empty:
    st.info(text("no_quarantine"))
else:
    st.dataframe(by_reason, hide_index=True)
    reason = st.selectbox(text("quarantine_rows"), sorted(by_reason["reason"].unique()))
    st.dataframe(queries.quarantined_rows(reason), hide_index=True)
