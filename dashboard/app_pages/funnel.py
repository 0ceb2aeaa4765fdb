"""Kedjan: the chain's funnel, the cohort heatmap and the drill-down to participants.

For project managers (their own projects), data stewards and, as aggregates with
small-count protection, the steering group. Layout only: the SQL is in
dashboard/queries/funnel.py, the protection of one selection (the chain, its split and
the heatmap together) in dashboard/views.py, the figures in dashboard/charts_funnel.py.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import charts_funnel as charts
from dashboard import formats, views
from dashboard.components import (as_of_banner, declared, download_buttons, page_user,
                                  protection_legend, show_chart, yes_no)
from dashboard.labels import text
from dashboard.queries import funnel as queries

COUNTS = views.CHAIN_COUNTS
FUNNEL_COLUMNS = ["split_value", "step", "participants", "reached", "share_of_start",
                  "previous_reached", "reached_with_previous", "conversion", "drop_off",
                  "drop_off_rate", "skipped", "median_days"]
HEATMAP_COLUMNS = ["cohort", "months_since_intake", "cohort_size", "employed",
                   "share_employed", "self_supporting", "share_self_supporting", "incomplete"]


def month_label(month) -> str:
    return formats.month(month)


def cohort_label(grain: str):
    return formats.quarter if grain == "quarter" else formats.month


def step_label(step: str) -> str:
    return text(f"step_{step}")


def group_label(value) -> str:
    key = f"group_{value}"
    try:
        return text(key)
    except KeyError:
        return str(value)


def last_day(month) -> dt.date:
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()


def whole_counts(df: pd.DataFrame, columns) -> pd.DataFrame:
    """Counts as whole numbers for display, blanks kept; a column with a protected '<5'
    in it becomes text throughout (one type per column, as Arrow needs)."""
    out = df.copy()
    for c in columns:
        values = [v if isinstance(v, str) else (None if pd.isna(v) else int(v)) for v in out[c]]
        if any(isinstance(v, str) for v in values):
            out[c] = pd.Series([None if v is None else str(v) for v in values], index=out.index,
                               dtype="object")
        else:
            out[c] = pd.array(values, dtype="Int64")
    return out


RATE_COLUMNS = ("share_of_start", "conversion", "drop_off_rate", "share_employed",
                "share_self_supporting")


def table(df: pd.DataFrame, columns: list[str], name: str, key: str, source) -> None:
    """A table with translated headers and CSV/Excel downloads (``df`` already protected)."""
    declared(source)
    shown = df[columns].rename(columns={c: text(f"col_{c}") for c in columns})
    kinds = {text(f"col_{c}"): "share" for c in columns if c in RATE_COLUMNS}
    st.dataframe(formats.table(shown, kinds, yes_no()), hide_index=True, width="stretch")
    download_buttons(shown, name, key, source, kinds)


user = page_user()
st.title(text("funnel"))
as_of_banner()
st.caption(text("funnel_intro"))

language = st.session_state.get("language", "sv")
projects = queries.projects_with_participants()
projects = projects[(projects["participants"] > 0)
                    & projects["project_id"].map(user.sees_project)].reset_index(drop=True)
if projects.empty:
    st.info(text("funnel_no_projects"))
    st.stop()
names = dict(zip(projects["project_id"], projects[f"name_{language}"]))

top = st.columns([2, 3])
project_id = top[0].selectbox(text("project"), list(names), key="funnel_project",
                              format_func=lambda p: f"{p} – {names[p]}")
frame = queries.project_frame(project_id).iloc[0]
as_of_month = frame["reporting_end_month"] if pd.notna(frame["reporting_end_month"]) \
    else frame["latest_data_month"]
if pd.isna(as_of_month):
    st.info(text("funnel_no_participants"))
    st.stop()
bases = {"as_of": as_of_month}
if pd.notna(frame["latest_data_month"]) and frame["latest_data_month"] > as_of_month:
    bases["latest"] = frame["latest_data_month"]
# The steering group sees one fixed selection per project, protected as one view with all
# its splits (dashboard.views.chain): selections it could choose freely could be
# differenced to give a hidden count back.
if user.protected:
    basis = "as_of"
    top[1].caption(text("funnel_steering_fixed").format(month=month_label(bases[basis])))
else:
    basis = top[1].radio(text("funnel_follow_up"), list(bases), horizontal=True,
                         key=f"funnel_basis_{project_id}", help=text("funnel_follow_up_help"),
                         format_func=lambda b: text(f"funnel_follow_up_{b}").format(
                             month=month_label(bases[b])))
cutoff = last_day(bases[basis])

months = queries.intake_months(project_id, cutoff)
if not months:
    st.info(text("funnel_no_participants"))
    st.stop()
split_names = {"none": "funnel_split_none", "gender": "gender",
               "education_group": "funnel_education", "age_group": "funnel_age"}
if user.protected:
    intake_from, intake_to = months[0], months[-1]
    genders = districts = educations = ages = ()
    split = st.selectbox(text("funnel_split"), list(split_names), key="funnel_split",
                         format_func=lambda s: text(split_names[s]))
elif len(months) > 1:
    intake_from, intake_to = st.select_slider(
        text("funnel_intake"), options=months, value=(months[0], months[-1]),
        format_func=month_label, key=f"funnel_intake_{project_id}_{basis}")
else:
    intake_from = intake_to = months[0]

if not user.protected:
    with st.container(border=True):
        st.markdown(f"**{text('funnel_filters')}**")
        cols = st.columns(5)
        genders = cols[0].multiselect(text("gender"), queries.GENDERS, format_func=group_label,
                                      placeholder=text("funnel_all"), key="funnel_gender")
        districts = cols[1].multiselect(text("funnel_district"), queries.districts(project_id),
                                        format_func=group_label, placeholder=text("funnel_all"),
                                        key=f"funnel_district_{project_id}")
        educations = cols[2].multiselect(text("funnel_education"), queries.EDUCATION_GROUPS,
                                         format_func=group_label, placeholder=text("funnel_all"),
                                         key="funnel_education")
        ages = cols[3].multiselect(text("funnel_age"), queries.AGE_GROUPS, format_func=group_label,
                                   placeholder=text("funnel_all"), key="funnel_age")
        split = cols[4].selectbox(text("funnel_split"), list(split_names), key="funnel_split",
                                  format_func=lambda s: text(split_names[s]))
split = None if split == "none" else split

selection = queries.Selection(project_id, intake_from, intake_to, cutoff, tuple(genders),
                              tuple(districts), tuple(educations), tuple(ages))
# The heatmap's controls sit below it, but its cells are protected with the chain's: the
# whole selection is one view (dashboard.views.chain).
grain = st.session_state.get("funnel_grain", "month")
max_months = st.session_state.get("funnel_max_months", 24)
view = views.chain(selection, split, grain, max_months, user.protected)
total = view["total"]
if total is None or total.empty:
    st.info(text("no_data"))
    st.stop()
total_shown = whole_counts(total, COUNTS)
by_step = total_shown.set_index("step")

metrics = st.columns(3)
metrics[0].metric(text("funnel_participants"),
                  formats.number(by_step.loc["inskriven", "participants"]))
for column, step, key in ((metrics[1], "anstalld", "funnel_employed_share"),
                          (metrics[2], "sjalvforsorjande", "funnel_self_supporting_share")):
    share = by_step.loc[step, "share_of_start"]
    column.metric(text(key), formats.percent(share), help=f"{formats.number(by_step.loc[step, 'reached'])} / "
                  f"{formats.number(by_step.loc[step, 'participants'])}", delta=None)

split_frame = view[f"split:{split}"] if user.protected else view["split"]
funnel_shown = total_shown if split is None else whole_counts(split_frame, COUNTS)
funnel_shown = funnel_shown.assign(split_value=funnel_shown["split_value"].map(group_label)) \
    if split else funnel_shown

st.subheader(text("funnel_chart"))
show_chart(charts.funnel_figure(funnel_shown, step_label), "funnel_chart", view,
           data_table=False, config={"displaylogo": False})
st.subheader(text("funnel_table"))
st.caption(text("funnel_table_note"))
protection_legend()
table_df = funnel_shown.assign(step=funnel_shown["step"].map(step_label))
columns = FUNNEL_COLUMNS if split else FUNNEL_COLUMNS[1:]
table_df = table_df.rename(columns={"split_value": "group"})
columns = ["group" if c == "split_value" else c for c in columns]
table(table_df, columns, f"kedjan_{project_id}", "funnel_table", view)

# Cohort heatmap ----------------------------------------------------------------------
st.subheader(text("funnel_heatmap"))
st.caption(text("funnel_heatmap_intro"))
controls = st.columns([1, 2, 1.4], gap="medium")
if user.protected:
    grain = views.STEERING_GRAIN
    controls[0].caption(text("funnel_steering_heatmap").format(every=views.STEERING_EVERY))
else:
    grain = controls[0].radio(text("funnel_grain"), queries.GRAINS, horizontal=True,
                              key="funnel_grain", format_func=lambda g: text(f"funnel_grain_{g}"))
    max_months = controls[1].slider(text("funnel_max_months"), 6, 60, 24, step=6,
                                    key="funnel_max_months")
heat = view["heat"]
if heat is None or heat.empty:
    st.info(text("funnel_no_cohorts"))
else:
    heat_shown = whole_counts(heat, views.HEAT_COUNTS)
    label = cohort_label(grain)
    # one heatmap at a time: each is a few hundred kB of cells
    count = controls[2].radio(text("funnel_heatmap_measure"), ("employed", "self_supporting"),
                              key="funnel_heatmap_measure",
                              format_func=lambda m: text(f"funnel_share_{m}"))
    share = f"share_{count}"
    if charts.number(heat_shown[share]).isna().all():
        st.info(text("funnel_heatmap_all_protected"))
    else:
        show_chart(charts.heatmap_figure(heat_shown, count, share, label, text(f"funnel_{share}")),
                   "funnel_heatmap", view, data_table=False, config={"displaylogo": False},
                   alt=text("funnel_heatmap_alt").format(
                       measure=text(f"funnel_{share}").lower(), cohorts=heat_shown["cohort"].nunique(),
                       first=label(heat_shown["cohort"].min()),
                       last=label(heat_shown["cohort"].max()),
                       months=int(heat_shown["months_since_intake"].max())))
    st.caption(text("funnel_incomplete_note").format(month=month_label(bases[basis])))
    protection_legend()
    with st.expander(text("funnel_heatmap_table")):
        heat_table = heat_shown.assign(cohort=heat_shown["cohort"].map(label),
                                       complete=~heat_shown["incomplete"].astype(bool))
        table(heat_table, HEATMAP_COLUMNS[:-1] + ["complete"], f"kedjan_kohorter_{project_id}",
              "funnel_heatmap_table", view)

# Drill-down to people ----------------------------------------------------------------
st.subheader(text("funnel_drilldown"))
if not (user.sees_people and user.sees_project(project_id)):
    st.info(text("funnel_drilldown_not_allowed"))
    st.stop()
if heat is None or heat.empty:
    st.info(text("funnel_no_cohorts"))
    st.stop()
st.caption(text("funnel_drilldown_intro").format(date=formats.date(cutoff)))
cohorts = [pd.Timestamp(c).date() for c in dict.fromkeys(heat["cohort"])]
# Default: the youngest cohort whose whole follow-up window shown above has closed.
closed = heat.groupby("cohort")["incomplete"].any()
closed = [pd.Timestamp(c).date() for c, still_open in closed.items() if not still_open]
default = cohorts.index(closed[-1]) if closed else 0
pick = st.columns([1, 1, 1])
cohort = pick[0].selectbox(text("funnel_cohort"), cohorts, index=default,
                           format_func=cohort_label(grain), key=f"funnel_drill_cohort_{grain}")
step = pick[1].selectbox(text("funnel_drilldown_step"), queries.STEPS, index=4,
                         format_func=step_label, key="funnel_drill_step")
reached = pick[2].radio(text("funnel_drilldown_reached"), (True, False), horizontal=True,
                        key="funnel_drill_reached",
                        format_func=lambda r: text("funnel_drilldown_yes" if r else "funnel_drilldown_no"))
people = queries.people(selection, grain, cohort, step, reached)
st.markdown(text("funnel_drilldown_count").format(n=len(people)))
if people.empty:
    st.info(text("no_data"))
else:
    shown = people.copy()
    for column in shown.columns:
        if column.endswith("_date"):
            shown[column] = pd.to_datetime(shown[column]).dt.date
    shown["gender"] = shown["gender"].map(group_label)
    shown["age_group"] = shown["age_group"].map(group_label)
    shown["education_group"] = shown["education_group"].map(group_label)
    shown = shown.rename(columns={
        "gender": text("gender"), "age_group": text("funnel_age"),
        "district": text("funnel_district"), "education_group": text("funnel_education"),
        "participation_end_date": text("funnel_participation_end"),
        **{f"{s}_date": step_label(s) for s in queries.STEPS}})
    st.dataframe(formats.table(shown, None, yes_no()), hide_index=True, width="stretch")
    download_buttons(shown, f"kedjan_{project_id}_{cohort_label(grain)(cohort)}_{step}",
                     "funnel_people")
