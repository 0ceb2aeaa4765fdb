"""Projekt: HEART, Entry Hub, Samspelet and the pre-study WLFS, each with its own targets.

* HEART: employers contacted, interviews by gender, cities/regions, study visits: counts
  to date from fct_kpi_monthly against their targets (config/projects.yml, by gender for
  the interviews).
* Entry Hub: newcomers hired (more than 30) and women's share of visitors, in all
  (fct_kpi_monthly) and by city (fct_entry_hub_visitors_monthly), against the baseline
  share from config/projects.yml.
* Samspelet: trainee placements (fct_trainee_placements_monthly), monitored without a
  target.
* WLFS: six dialogue forums, a documented fact (no activity file is delivered); the
  budget against elapsed time.

Figures are as of each project's latest month of data. Counts of people come from
dashboard.views, protected for the steering group with every relation between them (the
cities of Entry Hub with the project's totals, Samspelet's months with its totals to date).
"""

import pandas as pd
import streamlit as st

from dashboard import charts_kpi as charts
from dashboard import formats, views
from dashboard.components import (
    as_of_banner,
    figure,
    page_user,
    protection_legend,
    show_chart,
    show_table,
)
from dashboard.labels import text
from dashboard.protect import NO_PEOPLE, is_suppressed
from dashboard.queries import projects as queries

SECTIONS = ("HEART", "EHUB", "SAMS", "WLFS")

st.title(text("projects"))
as_of_banner()
user = page_user()
protection_legend()
lang = charts.language()
st.caption(text("pr_intro"))


def header(project_id: str) -> pd.Series | None:
    """The project's name, period and as-of month; None when it has no data."""
    found = queries.project(project_id)
    if found is None or found.empty:
        st.info(text("no_data"))
        return None
    project = found.iloc[0]
    end = formats.date(project["end_date"]) if pd.notna(project["end_date"]) \
        else text("pr_open_end")
    st.subheader(project[f"name_{lang}"])
    st.caption(text("pr_period").format(start=formats.date(project["start_date"]),
                                        end=end, owner=project["owner"]))
    if pd.isna(project["reporting_end_month"]):
        if not undelivered(project, pd.Timestamp.today()):
            st.info(text("no_data"))
        return None
    st.caption(text("pr_as_of").format(month=formats.month(project["reporting_end_month"], long=True)))
    return project


def target_badge(met, target) -> None:
    if charts.is_missing(target):
        st.badge(text("pr_monitored"), color="gray", icon=":material/visibility:")
    elif met is True or met == 1:
        st.badge(text("pr_target_met"), color="green", icon=":material/check_circle:")
    else:
        st.badge(text("pr_target_not_met"), color="red", icon=":material/error:")


def kpi_metric(column, label: str, row: pd.Series, unit: str, help_text: str | None = None) -> None:
    with column:
        st.metric(label, formats.kpi_value(row["value"], unit),
                  help=help_text)
        st.caption(charts.target_caption(row["target"], row["direction"], unit))
        hidden = is_suppressed(row["value"]) or charts.is_missing(row["value"])
        if not hidden:
            target_badge(row["target_met"], row["target"])


def undelivered(project: pd.Series, as_of: pd.Timestamp | None = None) -> dict:
    """The project's KPIs whose sources delivered nothing (fct_kpi_status no_data) as of
    its latest month, each said so on the page: KPI id -> its status row."""
    as_of = pd.Timestamp(project["reporting_end_month"]) if as_of is None else as_of
    status = views.kpi_status(project["project_id"], as_of, user.protected)
    if status.empty:
        return {}
    missing = status[(status["gender"] == "all") & (status["status"] == "no_data")]
    names = pd.concat([queries.kpis(project["project_id"]), queries.budget_kpis()]).set_index(
        "kpi_id")[f"name_{lang}"]
    for _, row in missing.iterrows():
        st.warning(f"{names.get(row['kpi_id'], row['kpi_id'])}: "
                   + text("ov_status_no_data").format(sources=row["missing_sources"]))
    return {row["kpi_id"]: row for _, row in missing.iterrows()}


def latest_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["month"] == rows["month"].max()]


def budget_section(project_id: str, missing: dict) -> None:
    """The budget against elapsed time; ``missing``: the project's undelivered KPIs, said
    so above (an undelivered cost file is not a budget unspent)."""
    budget = queries.budget(project_id)
    if budget is None or budget.empty or any(
            k in missing for k in queries.budget_kpis()["kpi_id"]):
        return
    st.markdown(f"**{text('pr_budget')}**")
    latest = budget.iloc[-1]
    st.caption(text("pr_budget_caption").format(
        cost=formats.money(latest["cumulative_cost_sek"]),
        budget=formats.money(latest["total_budget_sek"]),
        used=formats.kpi_value(latest["budget_used_share"], "share"),
        elapsed=formats.kpi_value(latest["elapsed_share"], "share")))
    show_chart(figure(charts.budget_over_time, budget, queries.budget_kpis()[f"name_{lang}"].iloc[0]),
               f"pr-budget-{project_id}", NO_PEOPLE, width="stretch")


def heart() -> None:
    project = header("HEART")
    if project is None:
        return
    kpis = queries.kpis("HEART").set_index("kpi_id")
    missing = undelivered(project)
    view = views.project_kpis("HEART", user.protected)
    rows = view["kpi"]
    rows = None if rows is None else rows[~rows["kpi_id"].isin(missing)  # the budget: its own section
                                          & ~rows["kpi_id"].isin(queries.budget_kpis()["kpi_id"])]
    if rows is None or rows.empty:
        st.info(text("no_data"))
        budget_section("HEART", missing)
        return
    now = latest_rows(rows).set_index(["kpi_id", "gender"])
    columns = st.columns(3) + st.columns(3)
    for column, (kpi_id, gender, label) in zip(columns, (
            ("heart_employers", "all", None), ("heart_interviews", "all", None),
            ("heart_interviews", "K", text("pr_interviews_women")),
            ("heart_interviews", "M", text("pr_interviews_men")),
            ("heart_cities", "all", None), ("heart_study_visits", "all", None))):
        if (kpi_id, gender) in now.index:
            kpi_metric(column, label or kpis.loc[kpi_id, f"name_{lang}"], now.loc[(kpi_id, gender)],
                       "count", kpis.loc[kpi_id, f"definition_{lang}"])

    st.markdown(f"**{text('pr_heart_progress')}**")
    columns = st.columns(4)
    for column, kpi_id in zip(columns, ("heart_employers", "heart_interviews", "heart_cities",
                                        "heart_study_visits")):
        part = rows[(rows["kpi_id"] == kpi_id) & (rows["gender"] == "all")]
        if part.empty:
            continue
        with column:
            show_chart(figure(charts.progress_to_target, part, "count", kpis.loc[kpi_id, f"name_{lang}"]),
                       f"pr-heart-{kpi_id}", view, data_table=False, width="stretch")
    interviews = latest_rows(rows[rows["kpi_id"] == "heart_interviews"])
    targets = interviews.set_index("gender")["target"] if not interviews.empty else pd.Series()
    if all(g in targets.index and not charts.is_missing(targets[g]) for g in ("K", "M")):
        title = text("pr_heart_interviews_targets").format(women=formats.number(targets["K"]),
                                                           men=formats.number(targets["M"]))
    else:
        title = text("pr_heart_interviews")
    st.markdown(f"**{title}**")
    if not interviews.empty:
        show_chart(figure(charts.interviews_by_gender, interviews), "pr-heart-gender", view,
                   data_table=False, width="stretch")

    with st.expander(text("pr_heart_table")):
        table = rows[~((rows["gender"] != "all") & rows["value"].isna())]
        show_table(pd.DataFrame({
            text("month"): table["month"],
            "KPI": table["kpi_id"].map(lambda k: kpis.loc[k, f"name_{lang}"]),
            text("gender"): table["gender"].map(lambda g: text(f"kpi_gender_{g}")),
            text("value"): charts.plain_column(table["value"]),
            text("target"): charts.plain_column(table["target"]),
            text("pr_target_met"): table["target_met"],
        }).iloc[::-1], "heart", "pr-heart-table", view, {text("month"): "month"})
    budget_section("HEART", missing)


def entry_hub() -> None:
    project = header("EHUB")
    if project is None:
        return
    kpis = queries.kpis("EHUB").set_index("kpi_id")
    missing = undelivered(project)
    view = views.project_kpis("EHUB", user.protected)
    rows = view["kpi"]
    rows = None if rows is None else rows[~rows["kpi_id"].isin(missing)  # the budget: its own section
                                          & ~rows["kpi_id"].isin(queries.budget_kpis()["kpi_id"])]
    if rows is None or rows.empty:
        st.info(text("no_data"))
        budget_section("EHUB", missing)
        return
    now = latest_rows(rows).set_index(["kpi_id", "gender"])
    baseline = kpis.loc["ehub_women_share", "baseline"] if "ehub_women_share" in kpis.index else None
    columns = st.columns(4)
    if ("ehub_hires", "all") in now.index:
        hires = now.loc[("ehub_hires", "all")]
        kpi_metric(columns[0], kpis.loc["ehub_hires", f"name_{lang}"], hires, "count",
                   kpis.loc["ehub_hires", f"definition_{lang}"])
        columns[1].metric(f"{text('pr_women')} / {text('pr_men')}",
                          f"{formats.number(now.loc[('ehub_hires', 'K'), 'value'])} / "
                          f"{formats.number(now.loc[('ehub_hires', 'M'), 'value'])}")
    if ("ehub_women_share", "all") in now.index:
        share = now.loc[("ehub_women_share", "all")]
        kpi_metric(columns[2], kpis.loc["ehub_women_share", f"name_{lang}"], share, "share",
                   kpis.loc["ehub_women_share", f"definition_{lang}"])
        columns[2].caption(f"{formats.number(share['numerator'])} / {formats.number(share['denominator'])}")
        columns[3].metric(text("pr_unknown_visitors"), formats.number(share["excluded_count"]))
    if baseline is not None and not charts.is_missing(baseline):
        st.caption(text("pr_baseline_note").format(baseline=formats.kpi_value(baseline, "share")))

    shown = view["cities"]
    if shown is None or shown.empty:
        st.info(text("no_data"))
    else:
        current = shown[shown["month"] == shown["month"].max()]
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{text('pr_city_share')}**")
            show_chart(figure(charts.city_shares, current, baseline), "pr-ehub-city", view,
                       data_table=False, width="stretch")
        with right:
            st.markdown(f"**{text('pr_city_trend')}**")
            show_chart(figure(charts.city_shares_over_time, shown, baseline), "pr-ehub-city-trend", view,
                       width="stretch")
        st.caption(text("pr_city_note"))
        share = charts.numeric(current["women_share_to_date"])
        show_table(pd.DataFrame({
            text("pr_city"): current["city"],
            text("pr_women"): charts.plain_column(current["women_to_date"]),
            text("pr_men"): charts.plain_column(current["men_to_date"]),
            text("pr_known_gender"): charts.plain_column(current["known_gender_to_date"]),
            text("pr_women_share"): current["women_share_to_date"],
            text("pr_above_baseline"): [None if pd.isna(s) or baseline is None else bool(s > baseline)
                                        for s in share],
            text("pr_unknown_gender"): charts.plain_column(current["unknown_gender_to_date"]),
            text("pr_reported_hires"): charts.plain_column(current["reported_hires_to_date"]),
        }), "entry_hub_stader", "pr-ehub-cities", view, {text("pr_women_share"): "share"})

        st.markdown(f"**{text('pr_visitors_month')}**")
        show_chart(figure(charts.visitors_by_city, shown), "pr-ehub-visitors", view, data_table=False,
                   width="stretch")
        with st.expander(text("pr_city_table")):
            show_table(pd.DataFrame({
                text("month"): shown["month"],
                text("pr_city"): shown["city"],
                text("pr_visitors_in_month"): charts.plain_column(shown["visitors_in_month"]),
                text("pr_women_in_month"): charts.plain_column(shown["women_in_month"]),
                text("pr_men_in_month"): charts.plain_column(shown["men_in_month"]),
                text("pr_unknown_in_month"): charts.plain_column(shown["unknown_gender_in_month"]),
                text("pr_visits_in_month"): charts.plain_column(shown["visits_in_month"]),
            }).iloc[::-1], "entry_hub_besokare", "pr-ehub-months", view, {text("month"): "month"})
    budget_section("EHUB", missing)


def samspelet() -> None:
    project = header("SAMS")
    if project is None:
        return
    st.markdown(f"**{text('pr_trainee_title')}**")
    st.caption(text("pr_trainee_note"))
    missing = undelivered(project)
    view = views.project_kpis("SAMS", user.protected)
    shown = view["placements"]
    if shown is None or shown.empty or missing:
        st.info(text("no_data"))
        budget_section("SAMS", missing)
        return
    now = shown[shown["month"] == shown["month"].max()].set_index("gender")
    columns = st.columns(5)
    columns[0].metric(text("pr_placements_to_date"), formats.number(now.loc["all", "placements_to_date"]))
    columns[1].metric(f"{text('pr_women')} / {text('pr_men')}",
                      f"{formats.number(now.loc['K', 'placements_to_date'])} / "
                      f"{formats.number(now.loc['M', 'placements_to_date'])}")
    columns[2].metric(text("pr_people_to_date"), formats.number(now.loc["all", "people_to_date"]))
    columns[3].metric(text("pr_employers_to_date"), formats.number(now.loc["all", "employers_to_date"]))
    columns[4].metric(text("pr_running"), formats.number(now.loc["all", "placements_running_at_month_end"]))
    with columns[0]:
        target_badge(None, None)
    st.markdown(f"**{text('pr_placements_chart')}**")
    show_chart(figure(charts.placements, shown), "pr-sams-placements", view, data_table=False,
               width="stretch")
    with st.expander(text("pr_trainee_table")):
        show_table(pd.DataFrame({
            text("month"): shown["month"],
            text("gender"): shown["gender"].map(lambda g: text(f"kpi_gender_{g}")),
            text("pr_started"): charts.plain_column(shown["placements_started"]),
            text("pr_placements_to_date"): charts.plain_column(shown["placements_to_date"]),
            text("pr_people_to_date"): charts.plain_column(shown["people_to_date"]),
            text("pr_employers_to_date"): charts.plain_column(shown["employers_to_date"]),
            text("pr_running"): charts.plain_column(shown["placements_running_at_month_end"]),
        }).iloc[::-1], "samspelet_traineeplatser", "pr-sams-table", view, {text("month"): "month"})
    budget_section("SAMS", missing)


def prestudy() -> None:
    project = header("WLFS")
    if project is None:
        return
    kpis = queries.kpis("WLFS").set_index("kpi_id")
    if "wlfs_dialogue_forums" in kpis.index:
        forums = kpis.loc["wlfs_dialogue_forums"]
        value = formats.kpi_value(forums["target"], "count")
        left, right = st.columns([1, 3])
        left.metric(forums[f"name_{lang}"], value, help=forums[f"definition_{lang}"])
        with left:
            target = charts.target_text(forums["target"], forums["direction"], "count")
            st.caption(f"{text('target')} {target}")
            st.badge(text("pr_documented"), color="blue", icon=":material/description:")
        right.markdown(text("pr_forums_fact").format(value=value))
    budget_section("WLFS", undelivered(project))


SECTION_BUILDERS = {"HEART": heart, "EHUB": entry_hub, "SAMS": samspelet, "WLFS": prestudy}
visible = [p for p in SECTIONS if user.sees_project(p)]
if not visible:
    st.info(text("pr_not_visible"))
    st.stop()
short = {"HEART": "HEART", "EHUB": "Entry Hub", "SAMS": "Samspelet", "WLFS": "WLFS"}
# Only the open tab's section is built and sent: the tabs keep their state (in the link), so
# switching tabs reruns the page, and drawing every project's charts cost the browser most
# of the page's time.
for tab, project_id in zip(st.tabs([short[p] for p in visible], key="projects_tab",
                                                    bind="query-params"), visible):
    if tab.open:
        with tab:
            SECTION_BUILDERS[project_id]()
