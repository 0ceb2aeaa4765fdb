"""Datakvalitet: the data steward's page.

The last refresh and its result, the refresh history with seconds per stage, the
validation results (critical checks block publishing, warnings are shown here), freshness
per source with a stale warning, the load log per file, rejected files and quarantined
rows with their reasons, Entry Hub visitor ids that carry two or more personnummer (by
besokar_id and count, never the numbers), and Great Expectations' Data Docs (read from
disk by the server, never served as static files, so no one sees them without signing in
as data steward).
"""

import streamlit as st

from dashboard.components import as_of_banner, show_table
from dashboard.labels import text
from dashboard.queries import data_quality as queries

st.title(text("data_quality"))
as_of_banner()

history = queries.refresh_history()
latest = history.iloc[0]
if latest["result"] == "published":
    st.success(text("dq_last_published").format(when=f"{latest['finished_at']:%Y-%m-%d %H:%M}"))
elif latest["result"] == "unchanged":
    st.info(text("dq_last_unchanged").format(when=f"{latest['finished_at']:%Y-%m-%d %H:%M}"))
else:
    st.error(text("dq_last_failed").format(when=f"{latest['finished_at']:%Y-%m-%d %H:%M}",
                                           stage=latest["failed_stage"], message=latest["message"]))

st.subheader(text("dq_history"))
show_table(history, "refresh_history", "history")
stages = queries.stage_seconds()
if stages is not None and not stages.empty:
    st.caption(text("dq_stage_seconds"))
    show_table(stages.pivot_table(index="started_at", columns="stage", values="seconds")
               .reset_index().sort_values("started_at", ascending=False), "stage_seconds", "stages")

st.subheader(text("dq_validation"))
checks = queries.validation_checks()
failed = checks[checks["status"] == "failed"] if checks is not None else checks
if failed is None or failed.empty:
    st.info(text("dq_validation_clean"))
else:
    show_table(failed, "validation_failed", "validation")
with st.expander(text("dq_validation_all")):
    show_table(checks, "validation_all", "validation_all")

st.subheader(text("dq_data_docs"))
docs = queries.data_docs_pages()
if not docs:
    st.info(text("dq_data_docs_missing"))
else:
    page = st.selectbox(text("dq_data_docs_page"), docs, key="data_docs_page",
                        format_func=lambda p: f"{p.parent.name[:15]} · {p.stem.split('-', 1)[-1]}")
    st.caption(text("dq_data_docs_links"))
    html = queries.data_docs_html(page)
    if html is None:
        st.info(text("dq_data_docs_missing"))
    else:
        st.iframe(html, height=800)

st.subheader(text("dq_missing_sources"))
missing = queries.missing_sources()
if missing is None or missing.empty:
    st.caption(text("dq_no_missing_sources"))
else:
    lang = st.session_state.get("language", "sv")
    st.warning(text("dq_missing_sources_note"))
    show_table(missing.rename(columns={"project_id": text("project"), "file_kind": text("dq_file_kind"),
                                       f"kpis_{lang}": text("dq_kpis_without_data")})
               .drop(columns=["kpis_sv", "kpis_en"], errors="ignore"),
               "missing_sources", "missing_sources")

st.subheader(text("freshness"))
fresh = queries.freshness()
for kind in fresh.loc[fresh["stale"], "kind"]:
    st.warning(text("dq_stale").format(kind=kind, days=queries.STALE_AFTER_DAYS))
show_table(fresh, "freshness", "freshness")

log = queries.load_log()
rejected = log[log["status"] != "loaded"]
if len(rejected):
    st.subheader(text("rejected_files"))
    show_table(rejected[["file", "status", "error"]], "rejected_files", "rejected")

st.subheader(text("load_log"))
show_table(log, "load_log", "load_log")

st.subheader(text("dq_visitor_conflicts"))
st.caption(text("dq_visitor_conflicts_rule"))
conflicts = queries.entry_hub_visitor_conflicts()
if conflicts is None or conflicts.empty:
    st.info(text("dq_visitor_conflicts_none"))
else:
    show_table(conflicts, "entry_hub_visitor_conflicts", "visitor_conflicts")

st.subheader(text("quarantine"))
by_reason = queries.quarantine_by_reason()
if by_reason.empty:
    st.info(text("no_quarantine"))
else:
    show_table(by_reason, "quarantine_by_reason", "quarantine")
    reason = st.selectbox(text("quarantine_rows"), sorted(by_reason["reason"].unique()))
    show_table(queries.quarantined_rows(reason), f"quarantine_{reason}", "quarantine_rows")
