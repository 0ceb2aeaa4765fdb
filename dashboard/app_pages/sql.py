"""SQL: a read-only SQL editor over the marts schema, with a schema browser (analysts).

Layout only: checking and running a statement is dashboard/queries/sql.py. A query runs
when the form is submitted; its result stays in the session so downloads and other
clicks do not run it again.
"""

import streamlit as st

from dashboard import formats
from dashboard.components import as_of_banner, page_user, show_table
from dashboard.labels import text
from dashboard.queries import sql as queries

EXAMPLES = {
    "sql_ex_participants": """SELECT project_id,
       count(*) AS participants,
       count(plan_date) AS plan,
       count(anstalld_date) AS employed,
       count(sjalvforsorjande_date) AS self_supporting
FROM marts.fct_participation_steps
GROUP BY project_id
ORDER BY project_id""",
    "sql_ex_kpis": """SELECT project_id, kpi_id, month, numerator, denominator, value, target, target_met
FROM marts.fct_kpi_monthly
WHERE gender = 'all'
QUALIFY month = max(month) OVER (PARTITION BY project_id, kpi_id)
ORDER BY project_id, kpi_id""",
    "sql_ex_funnel": """SELECT intake_month, step, sum(cohort_size) AS cohort_size,
       sum(reached_count) AS reached, bool_and(is_matured) AS matured
FROM marts.fct_funnel_cohort
WHERE project_id = 'ETST'
GROUP BY intake_month, step, step_order
ORDER BY intake_month, step_order""",
}
def example_name(key: str | None) -> str:
    return text("sql_example_pick" if key is None else key)


def use_example() -> None:
    key = st.session_state.get("sql_example")
    if key:
        st.session_state["sql_text"] = EXAMPLES[key]


def run_query(sql: str) -> dict:
    try:
        result = queries.run(sql)
    except queries.Refused as refusal:
        return {"refused": refusal.key, "detail": refusal.detail}
    except queries.TimedOut:
        return {"timed_out": True}
    except queries.Failed as failure:  # DuckDB's message, reworded to name only marts
        return {"failed": failure.key, "detail": failure.detail}
    return {"frame": result.frame, "truncated": result.truncated, "cut": result.cut,
            "seconds": result.seconds}


ROLES = ("analytiker", "dataansvarig")  # as in app.PAGES; checked here again

st.title(text("sql"))
if page_user().role not in ROLES:
    st.error(text("not_allowed"))
    st.stop()
as_of_banner()
st.markdown(text("sql_intro").format(rows=formats.number(queries.ROW_LIMIT), mb=queries.BYTE_LIMIT_MB,
                                     seconds=queries.TIME_LIMIT_SECONDS))

editor, browser = st.columns([3, 2], gap="large")

with browser:
    st.subheader(text("sql_schema"))
    tables = queries.marts_tables()
    columns = queries.marts_columns()
    search = st.text_input(text("sql_schema_filter"), key="sql_schema_search").strip().lower()
    if tables is None or tables.empty:
        st.info(text("no_data"))
    else:
        for table in tables.itertuples(index=False):
            cols = columns[columns["table_name"] == table.table_name]
            if search and search not in table.table_name.lower() and \
                    not cols["column_name"].str.lower().str.contains(search, regex=False).any():
                continue
            with st.expander(f"marts.{table.table_name}"):
                st.caption(f"{table.description or ''} "
                           f"({text('sql_rows_estimate').format(rows=formats.number(int(table.rows)))})")
                st.dataframe(
                    cols[["column_name", "data_type", "description"]].rename(columns={
                        "column_name": text("sql_column"), "data_type": text("sql_type"),
                        "description": text("sql_description")}),
                    hide_index=True, width="stretch")

with editor:
    st.selectbox(text("sql_example"), [None, *EXAMPLES], format_func=example_name,
                 key="sql_example", on_change=use_example)
    if "sql_text" not in st.session_state:
        st.session_state["sql_text"] = EXAMPLES["sql_ex_participants"]
    with st.form("sql_form", border=False):
        sql = st.text_area(text("sql_editor"), key="sql_text", height=260)
        submitted = st.form_submit_button(text("sql_run"), type="primary")
    if submitted:
        st.session_state["sql_outcome"] = run_query(sql)

outcome = st.session_state.get("sql_outcome")
if outcome:
    st.subheader(text("sql_result"))
    if "refused" in outcome:
        detail = f" ({outcome['detail']})" if outcome["detail"] else ""
        st.error(f"{text('sql_refused')} {text(outcome['refused'])}{detail}")
    elif "timed_out" in outcome:
        st.error(text("sql_timed_out").format(seconds=queries.TIME_LIMIT_SECONDS))
    elif "failed" in outcome:
        st.error(text(outcome["failed"]).format(error=outcome["detail"],
                                                 memory=queries.MEMORY_LIMIT))
    else:
        frame = outcome["frame"]
        st.caption(text("sql_result_summary").format(rows=formats.number(len(frame)),
                                                     seconds=formats.duration(outcome["seconds"])))
        if outcome["truncated"]:
            st.warning(text("sql_truncated").format(rows=formats.number(queries.ROW_LIMIT)))
        if outcome["cut"]:
            st.warning(text("sql_cut").format(mb=queries.BYTE_LIMIT_MB, rows=formats.number(len(frame))))
        show_table(frame, "kedjan_sql", "sql_result")
