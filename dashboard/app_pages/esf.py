"""ESF-rapport: the ESF common indicators (fct_esf_indicators) for a chosen ESF project and
reporting period (a calendar year or the whole project), women, men and in total, as a
downloadable table.

For the steering group every period of the project is protected as one view
(dashboard.views.esf_indicators): women and men as parts of the total, the age and
education groups as parts of those who started, the calendar years as parts of the whole
project, so that no hidden cell can be recovered from another breakdown or period.
"""

import pandas as pd
import streamlit as st

from dashboard import charts_kpi as charts
from dashboard import formats, views
from dashboard.components import as_of_banner, page_user, protection_legend, show_chart, show_table
from dashboard.labels import text
from dashboard.queries import esf as queries

GROUPS = views.ESF_AGES + views.ESF_EDUCATION  # the breakdowns of those who started

st.title(text("esf"))
as_of_banner()
user = page_user()
lang = charts.language()
st.caption(text("esf_intro"))

projects = queries.esf_projects()
if projects is None or projects.empty:
    st.info(text("esf_no_projects"))
    st.stop()
projects = projects[[user.sees_project(p) for p in projects["project_id"]]]
if projects.empty:
    st.info(text("no_data"))
    st.stop()
names = dict(zip(projects["project_id"], projects[f"name_{lang}"]))
left, right = st.columns(2)
with_data = [p for p, m in zip(projects["project_id"], projects["as_of_month"]) if pd.notna(m)]
default = list(names).index(with_data[0]) if with_data else 0
project_id = left.selectbox(text("esf_project"), list(names), index=default, key="esf_project",
                            bind="query-params", format_func=lambda p: f"{p} · {names[p]}")
periods = queries.periods(project_id)
if not periods:
    st.info(text("no_data"))
    st.stop()
period = right.selectbox(text("esf_period"), periods, index=len(periods) - 1, key="esf_period",
                         bind="query-params",
                         format_func=lambda p: text("esf_total") if p == "total" else p)

view = views.esf_indicators(project_id, user.protected)
rows = view["esf"]
rows = None if rows is None else rows[rows["reporting_period"] == period]
if rows is None or rows.empty:
    st.info(text("no_data"))
    st.stop()
as_of = rows["as_of_month"].iloc[0]
if pd.notna(as_of):
    st.caption(text("esf_as_of").format(month=formats.month(as_of, long=True)))

# Indicators as rows, women, men and the total as columns: the layout of the ESF report.
shown = rows.set_index("gender")[list(queries.INDICATORS)].T.reindex(columns=["K", "M", "all"])
labels = {code: text(f"esf_{code}") for code in queries.INDICATORS}
table = pd.DataFrame({
    text("esf_code"): list(queries.INDICATORS),
    text("esf_indicator"): [labels[code] for code in queries.INDICATORS],
    text("esf_women"): charts.plain_column(shown["K"]).to_numpy(),
    text("esf_men"): charts.plain_column(shown["M"]).to_numpy(),
    text("esf_all"): charts.plain_column(shown["all"]).to_numpy(),
})
show_table(table, f"esf_{project_id}_{period}", "esf-table", view)
protection_legend()

st.subheader(text("esf_chart"))
if charts.numeric(shown.loc[GROUPS, ["K", "M"]].stack()).notna().any():
    show_chart(charts.esf_breakdown(shown, GROUPS, labels), "esf-chart", view,
               data_table=False, width="stretch")
else:
    st.info(text("esf_all_hidden"))
