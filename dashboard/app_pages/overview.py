"""Översikt (steering group): every project's KPIs against their targets, as of a month.

The as-of picker (default: the latest month of data) shows the whole page as it stood at
the end of the chosen month: only fct_kpi_monthly rows and costs up to that month are
read; a project that ended earlier shows its final figures, one that had not started
says so.

Status rule (also shown on the page, "Så sätts status"):

* **på väg / on track**: the forecast at the project's end meets the target;
* **i riskzonen / at risk**: the forecast misses the target but reaches at least 90 % of
  it, and the project has time left;
* **efter / behind**: the forecast is below 90 % of the target, or the project has ended
  without meeting it;
* **följs upp / monitored**: the KPI has no target.

A count of a project without an end date (Entry Hub, Samspelet) has no end to forecast
to: it is on track once the target is met, at risk while it still grows (pace above 0),
behind when it does not grow.

Forecast at the current pace (dashboard.queries.overview.forecast): a share or ratio
keeps its latest value; a count is the latest value plus the pace of the last 6 months
(change over 6 months / 6) times the months left to the project's end month; T4 (guide
matches, a target per year) runs to the end of the year. A project without an end date,
or one that has ended, is judged on its latest value.

Budget: the share of the budget used against the elapsed share of the period
(fct_budget_monthly); "in step" within ±10 percentage points.
"""

import pandas as pd
import streamlit as st

from dashboard import charts_kpi as charts
from dashboard import formats, views
from dashboard.components import as_of_banner, page_user, protection_legend, show_chart, show_table
from dashboard.labels import text
from dashboard.protect import NO_PEOPLE
from dashboard.queries import overview as queries

PROTECTED = "protected"  # the status of a value the viewer may not see

BADGE = {
    queries.ON_TRACK: ("green", ":material/check_circle:"),
    queries.AT_RISK: ("orange", ":material/warning:"),
    queries.BEHIND: ("red", ":material/error:"),
    queries.MONITORED: ("gray", ":material/visibility:"),
    queries.NO_VALUE: ("gray", ":material/hourglass_empty:"),
    queries.DOCUMENTED: ("blue", ":material/description:"),
    PROTECTED: ("gray", ":material/lock:"),
}
BURN_BAND = 0.10

st.title(text("overview"))
as_of_banner()
user = page_user()
protection_legend()
lang = charts.language()

months = queries.as_of_months()
projects = queries.projects()
kpis = queries.kpis()
if months is None or months.empty or projects is None or projects.empty:
    st.info(text("no_data"))
    st.stop()
projects = projects[[user.sees_project(p) for p in projects["project_id"]]]
if projects.empty:
    st.info(text("no_data"))
    st.stop()
options = [pd.Timestamp(m) for m in months["month"]]

fresh = queries.freshness()
if fresh is not None and not fresh.empty and pd.notna(fresh["latest_load"].iloc[0]):
    loaded = pd.Timestamp(fresh["latest_load"].iloc[0])
    st.caption(text("ov_freshness").format(
        month=formats.month(fresh["latest_month"].iloc[0], long=True),
        export=formats.date(fresh["latest_export"].iloc[0]),
        loaded=formats.datetime(loaded),
        days=max(0, (pd.Timestamp.now() - loaded).days)))

as_of = st.select_slider(text("ov_as_of"), options=options, value=options[-1],
                         format_func=lambda m: formats.month(m, long=True),
                         key="overview_as_of", help=text("ov_as_of_help"))
as_of = pd.Timestamp(as_of)
with st.expander(text("ov_status_rule_title")):
    st.markdown(text("ov_status_rule"))

budget = queries.budget(as_of)
# What the user may see, project by project (dashboard.views): every card, chart and table,
# and the status and forecast too, which are computed from the visible values only.
project_views = {p: views.project_kpis(p, user.protected) for p in projects["project_id"]}
shown = pd.concat([v["kpi"] for v in project_views.values() if v["kpi"] is not None],
                  ignore_index=True)
shown = shown[(shown["month"] <= as_of) & (shown["kpi_id"] != "budget_burn")]
visible = shown.assign(value=charts.numeric(shown["value"]))
status = queries.kpi_status(visible, projects, as_of) if not visible.empty else pd.DataFrame()
if not status.empty:
    latest = shown[shown["gender"] == "all"].set_index(["project_id", "kpi_id", "month"])["value"]
    hidden = [charts.is_suppressed(latest.get((p, k, m)))
              for p, k, m in zip(status["project_id"], status["kpi_id"], status["month"])]
    status.loc[hidden, "status"] = PROTECTED


def status_label(code: str) -> str:
    return text(f"ov_status_{code}")


def shown_total(project_id: str, kpi_id: str, month) -> pd.DataFrame:
    rows = shown[(shown["project_id"] == project_id) & (shown["kpi_id"] == kpi_id)
                 & (shown["month"] == month)]
    return rows.set_index("gender")


def delta_text(value, target, unit) -> str | None:
    if charts.is_missing(value) or charts.is_suppressed(value) or charts.is_missing(target):
        return None
    gap = float(value) - float(target)
    if unit == "share":
        points = "p.e." if lang == "sv" else "pp"
        return f"{formats.number(gap * 100, 1, signed=True)} {points} {text('ov_delta_target')}"
    decimals = 2 if unit == "ratio" else 0
    return f"{formats.number(gap, decimals, signed=True)} {text('ov_delta_target')}"


def kpi_card(row: pd.Series, kpi: pd.Series, project_id: str) -> dict:
    """A KPI's card; returns its row for the project's table (as shown)."""
    genders = shown_total(project_id, row["kpi_id"], row["month"])
    total = genders.loc["all"] if "all" in genders.index else row
    value, unit = total["value"], row["unit"]
    hidden = charts.is_missing(value) or charts.is_suppressed(value)
    fc = None if hidden else row["forecast"]
    name = kpi[f"name_{lang}"]
    details = [f"{text('target')} {charts.target_text(row['target'], row['direction'], unit)}"]
    time_left = not charts.is_missing(row["forecast_month"]) and \
        pd.Timestamp(row["forecast_month"]) > pd.Timestamp(row["month"])
    if fc is not None and not charts.is_missing(fc) and time_left:
        when = "" if charts.is_missing(row["forecast_month"]) else formats.month(row["forecast_month"])
        details.append(f"{text('ov_forecast')} {formats.kpi_value(fc, unit)}"
                       + (f" ({when})" if when else ""))
    if unit in ("share", "ratio"):
        details.append(f"{formats.number(total['numerator'])} / {formats.number(total['denominator'])}")
    if row["kpi_id"] == "etst_transition_ratio" and not charts.is_missing(row["reference_value"]):
        details.append(f"{text('ov_comparison')} {formats.kpi_value(row['reference_value'], 'share')}")
    value_k = genders["value"].get("K") if "K" in genders.index else None
    value_m = genders["value"].get("M") if "M" in genders.index else None
    if not (charts.is_missing(value_k) and charts.is_missing(value_m)) or \
            (charts.is_suppressed(value_k) or charts.is_suppressed(value_m)):
        details.append(f"{text('kpi_gender_K')} {formats.kpi_value(value_k, unit)} · "
                       f"{text('kpi_gender_M')} {formats.kpi_value(value_m, unit)}")
    excluded = total.get("excluded_count")
    if not charts.is_missing(excluded) and (charts.is_suppressed(excluded) or excluded != 0):
        details.append(f"{text('ov_excluded')}: {formats.number(excluded)}")

    st.metric(name, formats.kpi_value(value, unit),
              delta=None if hidden else delta_text(value, row["target"], unit),
              delta_color="normal" if row["direction"] in (">=", ">", None) else "inverse",
              help=kpi[f"definition_{lang}"])
    color, icon = BADGE[row["status"]]
    st.badge(status_label(row["status"]), color=color, icon=icon)
    st.caption(" · ".join(details))
    trend = shown[(shown["project_id"] == project_id) & (shown["kpi_id"] == row["kpi_id"])
                  & (shown["gender"] == "all")]
    forecast_line = None
    if fc is not None and not charts.is_missing(row["forecast_month"]) and row["kind"] != "rate" \
            and pd.Timestamp(row["forecast_month"]) > pd.Timestamp(row["month"]):
        forecast_line = ((row["month"], float(value)), (row["forecast_month"], float(fc)))
    show_chart(charts.sparkline(trend, unit, forecast_line), f"spark-{project_id}-{row['kpi_id']}",
               project_views[project_id], data_table=False, width="stretch",
               config={"displayModeBar": False})
    return {
        text("ov_kpi"): name,
        text("value"): formats.kpi_value(value, unit),
        text("numerator"): charts.plain(total["numerator"]),
        text("denominator"): charts.plain(total["denominator"]),
        text("target"): charts.target_text(row["target"], row["direction"], unit),
        text("ov_forecast"): "–" if charts.is_missing(fc) else formats.kpi_value(fc, unit),
        text("ov_status"): status_label(row["status"]),
        text("ov_women"): formats.kpi_value(value_k, unit),
        text("ov_men"): formats.kpi_value(value_m, unit),
    }


def budget_at(project_id: str) -> pd.Series | None:
    if budget is None or budget.empty:
        return None
    rows = budget[budget["project_id"] == project_id]
    return None if rows.empty else rows.sort_values("month").iloc[-1]


def burn_status(row: pd.Series) -> str:
    gap = row["budget_used_share"] - row["elapsed_share"]
    if pd.isna(gap):
        return "–"
    if gap > BURN_BAND:
        return text("ov_burn_ahead")
    if gap < -BURN_BAND:
        return text("ov_burn_behind")
    return text("ov_burn_in_step")


def budget_card(row: pd.Series) -> None:
    st.metric(text("ov_budget_used"), formats.kpi_value(row["budget_used_share"], "share"),
              delta=(f"{formats.kpi_value(row['elapsed_share'], 'share')} "
                     f"{text('ov_elapsed').lower()}") if pd.notna(row["elapsed_share"]) else None,
              delta_color="off", help=text("ov_burn_rule"))
    st.badge(burn_status(row), color="blue", icon=":material/payments:")
    st.caption(f"{text('ov_cost_to_date')} {formats.money(row['cumulative_cost_sek'])} / "
               f"{formats.money(row['total_budget_sek'])}")
    months_rows = budget[budget["project_id"] == row["project_id"]]
    show_chart(charts.budget_over_time(months_rows).update_layout(
        height=150, showlegend=False, margin=dict(l=0, r=0, t=5, b=0)),
        f"budget-{row['project_id']}", NO_PEOPLE, data_table=False, width="stretch",
        config={"displayModeBar": False})


# --- summary of all projects -----------------------------------------------------------------
if not status.empty:
    st.subheader(text("ov_summary"))
    counts = status["status"].value_counts()
    columns = st.columns(4)
    for column, code in zip(columns, (queries.ON_TRACK, queries.AT_RISK, queries.BEHIND,
                                      queries.MONITORED)):
        column.metric(status_label(code), int(counts.get(code, 0)))

# --- one section per project -----------------------------------------------------------------
for _, project in projects.iterrows():
    project_id = project["project_id"]
    with st.container(border=True):
        st.subheader(project[f"name_{lang}"])
        end = formats.month(project["end_date"], long=True) if pd.notna(project["end_date"]) \
            else text("ov_open_end")
        st.caption(f"{project_id} · {project['owner']} · " + text("ov_period").format(
            start=formats.date(project["start_date"]),
            end=formats.date(project["end_date"]) if pd.notna(project["end_date"]) else end))
        month = queries.project_as_of(project, as_of)
        if month is None:
            st.info(text("ov_not_started").format(month=formats.month(as_of, long=True))
                    if pd.notna(project["reporting_end_month"]) else text("ov_no_data_yet"))
            continue
        if month < as_of:
            st.caption(text("ov_ended").format(month=formats.month(month, long=True))
                       if pd.notna(project["last_month"]) and month >= pd.Timestamp(project["last_month"])
                       else text("ov_data_until").format(month=formats.month(month, long=True)))

        project_kpis = kpis[kpis["project_id"] == project_id]
        project_status = status[status["project_id"] == project_id] if not status.empty else status
        cards = []
        for _, kpi in project_kpis.iterrows():
            row = project_status[project_status["kpi_id"] == kpi["kpi_id"]] \
                if not project_status.empty else project_status
            if not row.empty:
                cards.append(("kpi", kpi, row.iloc[0]))
            elif not kpi["is_computed_monthly"] and kpi["kpi_id"] == "wlfs_dialogue_forums":
                cards.append(("documented", kpi, None))
        budget_row = budget_at(project_id)
        if budget_row is not None:
            cards.append(("budget", None, budget_row))
        if not cards:
            st.info(text("ov_no_kpis"))
            continue

        table = []
        for start in range(0, len(cards), 3):
            columns = st.columns(3)
            for column, (kind, kpi, row) in zip(columns, cards[start:start + 3]):
                with column:
                    if kind == "kpi":
                        table.append(kpi_card(row, kpi, project_id))
                    elif kind == "budget":
                        budget_card(row)
                    else:
                        target = formats.kpi_value(kpi["target"], kpi["unit"])
                        st.metric(kpi[f"name_{lang}"], target, help=kpi[f"definition_{lang}"])
                        st.badge(status_label(queries.DOCUMENTED), color="blue",
                                 icon=BADGE[queries.DOCUMENTED][1])
                        st.caption(text("ov_documented_fact").format(value=target))
        if table:
            with st.expander(text("ov_table")):
                show_table(pd.DataFrame(table, dtype=object), f"oversikt_{project_id}_{as_of:%Y-%m}",
                           f"overview-{project_id}", project_views[project_id])

# --- budget of all projects ------------------------------------------------------------------
st.subheader(text("ov_budget"))
latest = [budget_at(p) for p in projects["project_id"]]
latest = pd.DataFrame([row for row in latest if row is not None])
if latest.empty:
    st.info(text("ov_no_budget"))
else:
    names = dict(zip(projects["project_id"], projects[f"name_{lang}"]))
    show_chart(charts.budget_bars(latest, names), "budget-all", NO_PEOPLE, data_table=False, width="stretch",
               config={"displayModeBar": False})
    st.caption(text("ov_burn_rule"))
    table = pd.DataFrame({
        text("project"): latest["project_id"],
        text("month"): latest["month"],
        text("ov_cost_to_date"): latest["cumulative_cost_sek"],
        text("ov_total_budget"): latest["total_budget_sek"],
        text("ov_budget_used"): latest["budget_used_share"],
        text("ov_elapsed"): latest["elapsed_share"],
        text("ov_burn_status"): latest.apply(burn_status, axis=1),
        text("ov_esf_cost"): latest["cumulative_esf_cost_sek"],
        text("ov_esf_grant"): latest["esf_grant_sek"],
        text("ov_esf_used"): latest["esf_grant_used_share"],
    })
    kinds = {text("month"): "month", text("ov_budget_used"): "share", text("ov_elapsed"): "share",
             text("ov_esf_used"): "share", **{text(k): "sek" for k in (
                 "ov_cost_to_date", "ov_total_budget", "ov_esf_cost", "ov_esf_grant")}}
    show_table(table, f"budget_{as_of:%Y-%m}", "overview-budget", NO_PEOPLE, kinds)
