"""Datakvalitet: the data steward's page.

The last refresh and its result, the refresh history with seconds per stage, the
validation results (critical checks block publishing, warnings are shown here), freshness
per source with a stale warning (only for sources of projects still running), the load
log per file (who uploaded it; picking a row opens the file's quarantined rows), rejected
files, quarantined rows with their reasons (filtered by file and reason; at most 1,000
shown, said so when there are more) and, for a chosen file, the complete list "to the
sender" in Swedish (dashboard/quarantine.py) with CSV and Excel downloads, Entry Hub
visitor ids that carry two or more personnummer (by besokar_id and count, never the
numbers), and Great Expectations' Data Docs (read from disk by the server, never served
as static files, so no one sees them without signing in as data steward).
"""

import streamlit as st

from dashboard.components import as_of_banner, selected_row, show_table
from dashboard.labels import text
from dashboard.quarantine import explained, reason as reason_text
from dashboard.queries import data_quality as queries

state = st.session_state

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
st.caption(text("dq_stale_rule"))
fresh = queries.freshness()
for _, late in fresh[fresh["stale"]].iterrows():
    st.warning(text("dq_stale").format(kind=late["kind"], days=queries.STALE_AFTER_DAYS,
                                       projects=late["running_projects"]))
show_table(fresh, "freshness", "freshness")

log = queries.load_log()
rejected = log[log["status"] != "loaded"]
if len(rejected):
    st.subheader(text("rejected_files"))
    show_table(rejected[["file", "status", "error"]], "rejected_files", "rejected")

st.subheader(text("load_log"))
st.caption(text("dq_load_log_pick"))
show_table(log, "load_log", "load_log", select="load_log_pick")
picked = selected_row("load_log_pick")
# A row picked in the load log opens its quarantined rows: it sets the file filter below,
# once per pick, so the filter can still be changed by hand afterwards.
if picked is not None and picked < len(log) and state.get("load_log_applied") != picked:
    state["load_log_applied"] = picked
    state["quarantine_load"] = int(log["load_id"].iloc[picked])
    state["quarantine_reason"] = None

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
    loads = queries.quarantine_loads()
    names = {int(r.load_id): text("dq_quarantine_load").format(file=r.file, load=r.load_id, rows=r.rows)
             for r in loads.itertuples()}
    if state.get("quarantine_load") not in names:
        state["quarantine_load"] = None  # a load without quarantined rows: all files
    left, right = st.columns(2)
    load_id = left.selectbox(text("dq_quarantine_file"), [None, *names], key="quarantine_load",
                             format_func=lambda i: text("dq_all_files") if i is None else names[i])
    reason = right.selectbox(text("dq_quarantine_reason"), [None, *sorted(by_reason["reason"].unique())],
                             key="quarantine_reason",
                             format_func=lambda r: text("dq_all_reasons") if r is None else reason_text(r))
    rows, total = queries.quarantined_rows(load_id, reason)
    if total > len(rows):
        st.caption(text("dq_cap").format(shown=f"{len(rows):,}".replace(",", "\u00a0"),
                                         total=f"{total:,}".replace(",", "\u00a0")))
    show_table(rows, "karantan", "quarantine_rows")
    if load_id is not None:
        file = loads.loc[loads["load_id"] == load_id, "file"].iloc[0]
        sender = explained(queries.quarantine_of_load(load_id), "sv")
        st.markdown(f"**{text('dq_to_sender').format(file=file)}**")
        st.caption(text("dq_to_sender_help").format(n=len(sender)))
        show_table(sender, f"till_avsandaren_{file.rsplit('.', 1)[0]}", "to_sender")
