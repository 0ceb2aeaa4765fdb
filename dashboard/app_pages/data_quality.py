"""Datakvalitet: the data steward's page.

The last refresh and its result, the refresh history with seconds per stage, the
validation results (critical checks block publishing, warnings are shown here), freshness
per source with a stale warning, the load log per file, rejected files and quarantined
rows with their reasons, Entry Hub visitor ids that carry two or more personnummer (by
besokar_id and count, never the numbers), and Great Expectations' Data Docs (read from
disk by the server, never served as static files, so no one sees them without signing in
as data steward).
"""

import re

import pandas as pd
import streamlit as st

from dashboard import formats
from dashboard.components import as_of_banner, show_table
from dashboard.labels import LANGUAGES, TEXTS, text
from dashboard.labels.data_quality import DETAILS
from dashboard.queries import data_quality as queries


def code(value):
    """A code of the refresh, ingest or the gate (a result, a stage, a reason) in words."""
    key = f"dq_code_{value}"
    return text(key) if key in TEXTS else value


def detail(value):
    """A quarantine detail written by ingest, in the UI language."""
    if not isinstance(value, str):
        return value
    for pattern, *texts in DETAILS:
        found = re.fullmatch(pattern, value)
        if found:
            return texts[LANGUAGES.index(formats.language())].format(*found.groups())
    return value


def steward_table(df: pd.DataFrame | None, name: str, key: str, codes=(), kinds=None) -> None:
    """A table of this page with its headers, codes and details in the UI language."""
    if df is not None:
        df = df.assign(**{c: df[c].map(code) for c in codes},
                       **{c: df[c].map(detail) for c in ("detail", "value") if c in df})
        df = df.rename(columns=lambda c: text(f"dq_col_{c}") if f"dq_col_{c}" in TEXTS else c)
        kinds = {text(f"dq_col_{c}") if f"dq_col_{c}" in TEXTS else c: kind
                 for c, kind in (kinds or {}).items()}
    show_table(df, name, key, kinds=kinds)


st.title(text("data_quality"))
as_of_banner()

history = queries.refresh_history()
latest = history.iloc[0]
when = formats.datetime(latest["finished_at"])
if latest["result"] == "published":
    st.success(text("dq_last_published").format(when=when))
elif latest["result"] == "unchanged":
    st.info(text("dq_last_unchanged").format(when=when))
else:
    st.error(text("dq_last_failed").format(when=when, stage=code(latest["failed_stage"]),
                                           message=latest["message"]))

st.subheader(text("dq_history"))
steward_table(history, "refresh_history", "history", codes=("result", "failed_stage"))
stages = queries.stage_seconds()
if stages is not None and not stages.empty:
    st.caption(text("dq_stage_seconds"))
    per_stage = stages.pivot_table(index="started_at", columns="stage", values="seconds")
    steward_table(per_stage.rename(columns=code).reset_index()
                  .sort_values("started_at", ascending=False), "stage_seconds", "stages",
                  kinds={code(stage): "seconds" for stage in per_stage.columns})

st.subheader(text("dq_validation"))
checks = queries.validation_checks()
failed = checks[checks["status"] == "failed"] if checks is not None else checks
if failed is None or failed.empty:
    st.info(text("dq_validation_clean"))
else:
    steward_table(failed, "validation_failed", "validation", codes=("severity", "status"))
with st.expander(text("dq_validation_all")):
    steward_table(checks, "validation_all", "validation_all", codes=("severity", "status"))

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

st.subheader(text("freshness"))
fresh = queries.freshness()
for kind in fresh.loc[fresh["stale"], "kind"]:
    st.warning(text("dq_stale").format(kind=kind, days=queries.STALE_AFTER_DAYS))
steward_table(fresh, "freshness", "freshness")

log = queries.load_log()
rejected = log[log["status"] != "loaded"]
if len(rejected):
    st.subheader(text("rejected_files"))
    steward_table(rejected[["file", "status", "error"]], "rejected_files", "rejected",
                  codes=("status",))

st.subheader(text("load_log"))
steward_table(log, "load_log", "load_log", codes=("status",))

st.subheader(text("dq_visitor_conflicts"))
st.caption(text("dq_visitor_conflicts_rule"))
conflicts = queries.entry_hub_visitor_conflicts()
if conflicts is None or conflicts.empty:
    st.info(text("dq_visitor_conflicts_none"))
else:
    steward_table(conflicts, "entry_hub_visitor_conflicts", "visitor_conflicts")

st.subheader(text("quarantine"))
by_reason = queries.quarantine_by_reason()
if by_reason.empty:
    st.info(text("no_quarantine"))
else:
    steward_table(by_reason, "quarantine_by_reason", "quarantine", codes=("reason",))
    reason = st.selectbox(text("quarantine_rows"), sorted(by_reason["reason"].unique()),
                          format_func=code)
    steward_table(queries.quarantined_rows(reason), f"quarantine_{reason}", "quarantine_rows",
                  codes=("reason",))
