"""Kedjan: the chain step by step, the cohort heatmap and the participants behind them.

For project managers (their own projects), data stewards and, as aggregates with
small-count protection, the steering group. Layout only: the counts are the funnel marts'
(dashboard/queries/funnel.py filters and sums them), the protection of one selection (the
chain, its split and the heatmap together) is dashboard/views.py's, the figures are
dashboard/charts_funnel.py's. Who may see people clicks a bar or a heatmap cell to list
its participants; for the steering group a click does nothing.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import charts_funnel as charts
from dashboard import formats, views
from dashboard.components import (
    as_of_banner,
    declared,
    download_buttons,
    page_user,
    protection_legend,
    show_chart,
    yes_no,
)
from dashboard.labels import text
from dashboard.queries import funnel as queries

COUNTS = views.CHAIN_COUNTS
FUNNEL_COLUMNS = ["split_value", "step", "participants", "reached", "share_of_start",
                  "previous_reached", "reached_with_previous", "conversion", "drop_off",
                  "drop_off_rate", "skipped"]
HEATMAP_COLUMNS = ["cohort", "months_since_intake", "cohort_size", "employed",
                   "share_employed", "self_supporting", "share_self_supporting", "incomplete"]
SHORT_KEY = 10  # hex digits of person_key shown on screen; the download has all 64


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


def clicked(event) -> list | None:
    """The customdata of the point a click selected on a chart, or None."""
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    return points[0].get("customdata") if points else None


def participants(selection, title: str, step: str, key: str, **where) -> None:
    """The pseudonymous participants of a clicked bar or cell who reached its step (or
    not): their step dates as of the reading, the key shortened on screen and whole in
    the downloads."""
    st.markdown(f"**{title}**")
    reached = st.radio(text("funnel_drilldown_reached"), (True, False), horizontal=True,
                       key=f"{key}_reached", format_func=lambda r: text(
                           "funnel_drilldown_yes" if r else "funnel_drilldown_no"))
    people = queries.people(selection, step, reached, **where)
    st.markdown(text("funnel_drilldown_count").format(n=len(people)))
    if people.empty:
        st.info(text("no_data"))
        return
    full = people.copy()
    for column in full.columns:
        if column.endswith("_date"):
            full[column] = pd.to_datetime(full[column]).dt.date
    for column in ("gender", "age_group", "education_group", "district"):
        full[column] = full[column].map(group_label)
    full = full.rename(columns={
        "gender": text("gender"), "age_group": text("funnel_age"),
        "district": text("funnel_district"), "education_group": text("funnel_education"),
        "participation_end_date": text("funnel_participation_end"),
        **{f"{s}_date": step_label(s) for s in queries.STEPS}})
    shown = full.assign(person_key=full["person_key"].str[:SHORT_KEY] + "…")
    # a step not reached is blank on screen, not "None"
    dates = [step_label(s) for s in queries.STEPS] + [text("funnel_participation_end")]
    shown[dates] = shown[dates].map(lambda d: "" if pd.isna(d) else formats.date(d))
    st.dataframe(shown, hide_index=True, width="stretch")
    download_buttons(full, f"kedjan_{selection.project_id}_{step}", key)


user = page_user()
st.title(text("funnel"))
as_of_banner()
st.caption(text("funnel_intro"))

language = st.session_state.get("language", "sv")
projects = queries.projects_with_participants()
projects = projects[projects["project_id"].map(user.sees_project)].reset_index(drop=True)
if projects.empty:
    st.info(text("funnel_no_projects"))
    st.stop()
without_chain = projects[projects["participants"] == 0]
projects = projects[projects["participants"] > 0].reset_index(drop=True)
unchained = "; ".join(without_chain[f"name_{language}"].fillna(without_chain["project_id"]))
if projects.empty:
    st.info(text("funnel_no_chain_data").format(projects=unchained))
    st.stop()
names = dict(zip(projects["project_id"], projects[f"name_{language}"]))

top = st.columns([2, 3])
project_id = top[0].selectbox(text("project"), list(names), key="funnel_project", bind="query-params",
                              format_func=lambda p: f"{p} – {names[p]}")
if unchained:
    top[0].caption(text("funnel_without_chain_data").format(projects=unchained))
found = queries.readings(project_id)
if found is None or found.empty:
    st.info(text("funnel_no_participants"))
    st.stop()
bases = dict(zip(found["reading"], found["reading_month"]))
# The steering group sees one fixed selection per project, protected as one view with all
# its splits (dashboard.views.chain): selections it could choose freely could be
# differenced to give a hidden count back.
if user.protected:
    basis = next(iter(bases))
    top[1].caption(text("funnel_steering_fixed").format(month=formats.month(bases[basis])))
else:
    basis = top[1].radio(text("funnel_follow_up"), list(bases), horizontal=True,
                         key=f"funnel_basis_{project_id}", bind="query-params",
                         help=text("funnel_follow_up_help"),
                         format_func=lambda b: text(f"funnel_follow_up_{b}").format(
                             month=formats.month(bases[b])))
cutoff = last_day(bases[basis])

months = queries.intake_months(project_id, basis)
split_names = {"none": "funnel_split_none", "gender": "gender",
               "education_group": "funnel_education", "age_group": "funnel_age"}
if user.protected:
    intake_from, intake_to = months[0], months[-1]
    genders = districts = educations = ages = ()
    split = st.selectbox(text("funnel_split"), list(split_names), key="funnel_split", bind="query-params",
                         format_func=lambda s: text(split_names[s]))
elif len(months) > 1:
    intake_from, intake_to = st.select_slider(
        text("funnel_intake"), options=months, value=(months[0], months[-1]),
        format_func=formats.month, key=f"funnel_intake_{project_id}_{basis}",
        bind="query-params")
else:
    intake_from = intake_to = months[0]

if not user.protected:
    with st.container(border=True):
        st.markdown(f"**{text('funnel_filters')}**")
        cols = st.columns(5)
        genders = cols[0].multiselect(text("gender"), queries.GENDERS, format_func=group_label,
                                      placeholder=text("funnel_all"), key="funnel_gender",
                                      bind="query-params")
        districts = cols[1].multiselect(text("funnel_district"), queries.districts(project_id),
                                        format_func=group_label, placeholder=text("funnel_all"),
                                        key=f"funnel_district_{project_id}", bind="query-params")
        educations = cols[2].multiselect(text("funnel_education"), queries.EDUCATION_GROUPS,
                                         format_func=group_label, placeholder=text("funnel_all"),
                                         key="funnel_education", bind="query-params")
        ages = cols[3].multiselect(text("funnel_age"), queries.AGE_GROUPS, format_func=group_label,
                                   placeholder=text("funnel_all"), key="funnel_age", bind="query-params")
        split = cols[4].selectbox(text("funnel_split"), list(split_names), key="funnel_split",
                                  bind="query-params",
                                  format_func=lambda s: text(split_names[s]))
split = None if split == "none" else split

selection = queries.Selection(project_id, basis, intake_from, intake_to, tuple(genders),
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
# Who may see people opens a bar's or a cell's participants with a click (plotly
# selection events); for anyone else the charts take no clicks.
drills = user.sees_people and user.sees_project(project_id)
click = {"on_select": "rerun", "selection_mode": "points"} if drills else {}

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

st.subheader(text("funnel_chart"))
st.caption(text("funnel_chart_note"))
event = show_chart(charts.steps_figure(funnel_shown, step_label, group_label), "funnel_chart",
                   view, data_table=False, config={"displaylogo": False}, **click)
if drills:
    bar = clicked(event)
    if bar is None:
        st.caption(text("funnel_click_hint"))
    else:
        step, group = bar
        title = step_label(step) if group == "all" else f"{step_label(step)} – {group_label(group)}"
        participants(selection, text("funnel_people_of_step").format(step=title), step,
                     "funnel_people_step", group=None if group == "all" else (split, group))
else:
    st.info(text("funnel_drilldown_not_allowed"))
st.subheader(text("funnel_table"))
st.caption(text("funnel_table_note"))
protection_legend()
table_df = funnel_shown.assign(step=funnel_shown["step"].map(step_label),
                               group=funnel_shown["split_value"].map(group_label))
columns = ["group" if c == "split_value" else c for c in FUNNEL_COLUMNS]
table(table_df, columns if split else columns[1:], f"kedjan_{project_id}", "funnel_table", view)

# Cohort heatmap ----------------------------------------------------------------------
st.subheader(text("funnel_heatmap"))
st.caption(text("funnel_heatmap_intro"))
controls = st.columns([1, 2, 1.4], gap="medium")
if user.protected:
    grain = views.STEERING_GRAIN
    controls[0].caption(text("funnel_steering_heatmap").format(every=views.STEERING_EVERY))
else:
    grain = controls[0].radio(text("funnel_grain"), queries.GRAINS, horizontal=True,
                              key="funnel_grain", bind="query-params",
                              format_func=lambda g: text(f"funnel_grain_{g}"))
    max_months = controls[1].slider(text("funnel_max_months"), 6, 60, 24, step=6,
                                    key="funnel_max_months", bind="query-params")
heat = view["heat"]
if heat is None or heat.empty:
    st.info(text("funnel_no_cohorts"))
    st.stop()
heat_shown = whole_counts(heat, views.HEAT_COUNTS)
label = cohort_label(grain)
# one heatmap at a time: each is a few hundred kB of cells
count = controls[2].radio(text("funnel_heatmap_measure"), ("employed", "self_supporting"),
                          key="funnel_heatmap_measure", bind="query-params",
                          format_func=lambda m: text(f"funnel_share_{m}"))
share = f"share_{count}"
if charts.number(heat_shown[share]).isna().all():
    st.info(text("funnel_heatmap_all_protected"))
else:
    event = show_chart(
        charts.heatmap_figure(heat_shown, count, share, label, text(f"funnel_{share}")),
        "funnel_heatmap", view, data_table=False, config={"displaylogo": False},
        alt=text("funnel_heatmap_alt").format(
            measure=text(f"funnel_{share}").lower(), cohorts=heat_shown["cohort"].nunique(),
            first=label(heat_shown["cohort"].min()), last=label(heat_shown["cohort"].max()),
            months=int(heat_shown["months_since_intake"].max())), **click)
    cell = clicked(event) if drills else None
    if drills and cell is None:
        st.caption(text("funnel_click_hint_heatmap"))
    elif cell is not None:
        cohort = dt.date.fromisoformat(cell[0])
        step = views.HEAT_STEPS[count]
        participants(selection, text("funnel_people_of_cohort").format(
            cohort=label(cohort), step=step_label(step), date=formats.date(cutoff)), step,
            "funnel_people_cohort", grain=grain, cohort=cohort)
st.caption(text("funnel_incomplete_note").format(month=formats.month(bases[basis])))
protection_legend()
# The heatmap's table (hundreds of cells, with downloads) is built only while it is open.
heat_panel = st.expander(text("funnel_heatmap_table"), key="funnel_heatmap_table_open",
                         on_change="rerun")
if heat_panel.open:
    with heat_panel:
        heat_table = heat_shown.assign(cohort=heat_shown["cohort"].map(label),
                                       complete=~heat_shown["incomplete"].astype(bool))
        table(heat_table, HEATMAP_COLUMNS[:-1] + ["complete"], f"kedjan_kohorter_{project_id}",
              "funnel_heatmap_table", view)
