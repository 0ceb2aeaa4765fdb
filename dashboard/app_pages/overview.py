"""Översikt (steering group): every project's KPIs against their targets, as of a month.

The as-of picker (default: the latest month of data) shows the whole page as it stood at
the end of the chosen month: only fct_kpi_monthly rows and costs up to that month are
read; a project that ended earlier shows its final figures, one that had not started
says so.

Every status, forecast and target met is the KPI status mart's (marts.fct_kpi_status,
where the rule lives and is written; the page shows it in words, "Så sätts status"): the
page only lays them out, for the total and for women and men, and, for the steering
group, only where small-count protection lets it (dashboard.views.kpi_status). A KPI
whose sources delivered nothing for the project says so, with the file kinds. Each
project's data date is its own (dim_project.reporting_end_month).

The Lägesrapport (dashboard.report) of the chosen month is a download here: the projects
the user may see, with the steering group's protection whatever the role.
"""

import pandas as pd
import streamlit as st

from dashboard import charts_kpi as charts
from dashboard import formats, views
from dashboard.components import (
    as_of_banner,
    as_of_picker,
    figure,
    page_user,
    protection_legend,
    show_chart,
    show_table,
)
from dashboard.figure_history import figure_history
from dashboard.labels import text
from dashboard.protect import NO_PEOPLE
from dashboard.queries import overview as queries
from dashboard.report import button as report_button

BADGE = {
    "on_track": ("green", ":material/check_circle:"),
    "at_risk": ("orange", ":material/warning:"),
    "behind": ("red", ":material/error:"),
    "monitored": ("gray", ":material/visibility:"),
    "no_value": ("gray", ":material/hourglass_empty:"),
    "no_data": ("gray", ":material/cloud_off:"),
    "documented": ("blue", ":material/description:"),
    "burn_ahead": ("blue", ":material/payments:"),
    "burn_in_step": ("blue", ":material/payments:"),
    "burn_behind": ("blue", ":material/payments:"),
    views.PROTECTED_STATUS: ("gray", ":material/lock:"),
}
SUMMARY = ("on_track", "at_risk", "behind", "monitored")
GENDERS = ("K", "M")

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
        export=formats.date(fresh["latest_export"].iloc[0]),
        loaded=formats.datetime(loaded),
        days=max(0, (pd.Timestamp.now() - loaded).days)))
st.caption(text("ov_data_dates").format(dates=" · ".join(
    f"{project[f'name_{lang}']} "
    + (formats.month(project["reporting_end_month"], long=True)
       if pd.notna(project["reporting_end_month"]) else text("ov_no_data_date"))
    for _, project in projects.iterrows())))

as_of = as_of_picker(options, text("ov_as_of_help"))
with st.expander(text("ov_status_rule_title")):
    st.markdown(text("ov_status_rule"))
report_button.download(projects, as_of)

budget = queries.budget(as_of)
# What the user may see, project by project (dashboard.views): every card, chart and table,
# and the statuses, forecasts and targets met of the status mart as protection allows.
project_views = {p: views.project_kpis(p, user.protected) for p in projects["project_id"]}
statuses = {p: views.kpi_status(p, as_of, user.protected) for p in projects["project_id"]}
registry = kpis.set_index("kpi_id")
status = pd.concat([s for s in statuses.values() if not s.empty] or [pd.DataFrame()],
                   ignore_index=True)


def status_label(row: pd.Series) -> str:
    if row["status"] == "no_data":
        return text("ov_status_no_data").format(sources=row["missing_sources"])
    return text(f"ov_status_{row['status']}")


def status_badge(row: pd.Series, prefix: str = "") -> None:
    color, icon = BADGE[row["status"]]
    st.badge(prefix + status_label(row), color=color, icon=icon)


def delta_text(value, target, unit) -> str | None:
    if charts.is_missing(value) or charts.is_suppressed(value) or charts.is_missing(target):
        return None
    gap = float(value) - float(target)
    if unit == "share":
        points = "p.e." if lang == "sv" else "pp"
        return f"{formats.number(gap * 100, 1, signed=True)} {points} {text('ov_delta_target')}"
    decimals = 2 if unit == "ratio" else 0
    return f"{formats.number(gap, decimals, signed=True)} {text('ov_delta_target')}"


def has_forecast(row: pd.Series) -> bool:
    """A forecast to show: one the viewer may see, to a month after the row's."""
    return not charts.is_missing(row["forecast_value"]) and \
        not charts.is_missing(row["forecast_month"]) and \
        pd.Timestamp(row["forecast_month"]) > pd.Timestamp(row["month"])


def kpi_card(rows: pd.DataFrame, kpi: pd.Series, project_id: str) -> dict:
    """A KPI's card: the total, its status and forecast, women and men each with their own
    status; returns its row for the project's table (as shown)."""
    total = rows.loc["all"]
    value, unit = total["value"], total["unit"]
    name = kpi[f"name_{lang}"]
    if total["status"] == "no_data":
        st.metric(name, "–", help=kpi[f"definition_{lang}"])
        status_badge(total)
        return {text("ov_kpi"): name, text("value"): None, text("ov_status"): status_label(total)}
    details = [charts.target_caption(total["target"], total["direction"], unit)]
    if not charts.is_missing(total["judged_target"]) and \
            not charts.is_missing(total["judged_value"]) and total["judged_value"] != value:
        details.append(text("ov_judged").format(
            value=formats.kpi_value(total["judged_value"], unit),
            target=formats.kpi_value(total["judged_target"], unit)))
    if has_forecast(total):
        details.append(f"{text('ov_forecast')} {formats.kpi_value(total['forecast_value'], unit)}"
                       f" ({formats.month(total['forecast_month'])})")
    if unit in ("share", "ratio"):
        details.append(f"{formats.number(total['numerator'])} / {formats.number(total['denominator'])}")
    if not charts.is_missing(kpi[f"reference_name_{lang}"]) and \
            not charts.is_missing(total["reference_value"]):
        details.append(f"{kpi[f'reference_name_{lang}']} "
                       f"{formats.kpi_value(total['reference_value'], 'share')}")
    excluded = total["excluded_count"]
    if not charts.is_missing(kpi[f"excluded_name_{lang}"]) and not charts.is_missing(excluded) and \
            (charts.is_suppressed(excluded) or excluded != 0):
        details.append(f"{kpi[f'excluded_name_{lang}']}: {formats.number(excluded)}")

    hidden = charts.is_missing(value) or charts.is_suppressed(value)
    st.metric(name, formats.kpi_value(value, unit),
              delta=None if hidden else delta_text(value, total["target"], unit),
              delta_color="normal" if total["direction"] in (">=", ">", None) else "inverse",
              help=kpi[f"definition_{lang}"])
    status_badge(total)
    st.caption(" · ".join(details))
    for gender in GENDERS:
        if gender in rows.index:
            part = rows.loc[gender]
            status_badge(part, f"{text(f'kpi_gender_{gender}')} "
                               f"{formats.kpi_value(part['value'], unit)}: ")
    trend = project_views[project_id]["kpi"]
    trend = trend[(trend["kpi_id"] == kpi.name) & (trend["gender"] == "all")
                  & (pd.to_datetime(trend["month"]) <= pd.Timestamp(total["month"]))]
    forecast_line = None
    if has_forecast(total) and not charts.is_missing(total["pace"]) and not hidden:
        forecast_line = ((total["month"], float(total["judged_value"])),
                         (total["forecast_month"], float(total["forecast_value"])))
        if total["judged_value"] != value:  # judged on another series than the one drawn
            forecast_line = None
    show_chart(figure(charts.sparkline, trend, unit, forecast_line), f"spark-{project_id}-{kpi.name}",
               project_views[project_id], data_table=False, width="stretch",
               config={"displayModeBar": False})
    row = {
        text("ov_kpi"): name,
        text("value"): formats.kpi_value(value, unit),
        text("numerator"): charts.plain(total["numerator"]),
        text("denominator"): charts.plain(total["denominator"]),
        text("target"): charts.target_text(total["target"], total["direction"], unit),
        text("ov_forecast"): formats.kpi_value(total["forecast_value"], unit),
        text("ov_status"): status_label(total),
    }
    for gender, column in (("K", "ov_women"), ("M", "ov_men")):
        part = rows.loc[gender] if gender in rows.index else None
        row[text(column)] = None if part is None else formats.kpi_value(part["value"], unit)
        row[f"{text(column)}: {text('ov_status').lower()}"] = None if part is None else status_label(part)
    return row


def budget_at(project_id: str) -> pd.Series | None:
    if budget is None or budget.empty:
        return None
    rows = budget[budget["project_id"] == project_id]
    return None if rows.empty else rows.sort_values("month").iloc[-1]


def budget_card(row: pd.Series, kpi: pd.Series) -> None:
    """Budget burn: the share used, beside the elapsed share (a reference, not a change)."""
    st.metric(kpi[f"name_{lang}"], formats.kpi_value(row["value"], "share"),
              help=kpi[f"definition_{lang}"])
    status_badge(row)
    if row["status"] == "no_data":
        return
    st.caption(f"{kpi[f'reference_name_{lang}']} {formats.kpi_value(row['reference_value'], 'share')}"
               f" · {text('ov_cost_to_date')} {formats.money(row['numerator'])} / "
               f"{formats.money(row['denominator'])}")
    months_rows = budget[budget["project_id"] == row["project_id"]]
    show_chart(figure(charts.budget_sparkline, months_rows, kpi[f"name_{lang}"]),
               f"budget-{row['project_id']}", NO_PEOPLE, data_table=False, width="stretch",
               config={"displayModeBar": False})


def documented_card(kpi: pd.Series) -> None:
    target = formats.kpi_value(kpi["target"], kpi["unit"])
    st.metric(kpi[f"name_{lang}"], target, help=kpi[f"definition_{lang}"])
    st.badge(text("ov_status_documented"), color="blue", icon=BADGE["documented"][1])
    st.caption(text("ov_documented_fact").format(value=target))


# --- summary of all projects -----------------------------------------------------------------
totals = status[(status["gender"] == "all") & status["kpi_id"].map(
    lambda k: registry.loc[k, "status_rule"] == "target")] if not status.empty else status
if not totals.empty:
    st.subheader(text("ov_summary"))
    counts = totals["status"].value_counts()
    shown_codes = list(SUMMARY) + [c for c in ("no_data", views.PROTECTED_STATUS, "no_value")
                                   if counts.get(c, 0)]
    for column, code in zip(st.columns(len(shown_codes)), shown_codes):
        column.metric(text(f"ov_summary_{code}" if code == "no_data" else f"ov_status_{code}"),
                      int(counts.get(code, 0)))

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
        project_status = statuses[project_id]
        if project_status.empty:
            st.info(text("ov_not_started").format(month=formats.month(as_of, long=True))
                    if pd.isna(project["first_month"]) or as_of < pd.Timestamp(project["first_month"])
                    else text("ov_no_data_yet"))
            continue
        month = pd.Timestamp(project_status["month"].iloc[0])
        if month < as_of:
            st.caption(text("ov_ended").format(month=formats.month(month, long=True))
                       if pd.notna(project["last_month"]) and month >= pd.Timestamp(project["last_month"])
                       else text("ov_data_until").format(month=formats.month(month, long=True)))

        by_kpi = {k: part.set_index("gender") for k, part in project_status.groupby("kpi_id")}
        ordered = sorted(by_kpi, key=lambda k: (registry.loc[k, "sort_order"], k))
        table = []
        for start in range(0, len(ordered), 3):
            for column, kpi_id in zip(st.columns(3), ordered[start:start + 3]):
                kpi, rows = registry.loc[kpi_id], by_kpi[kpi_id]
                with column:
                    if kpi["status_rule"] == "documented":
                        documented_card(kpi)
                    elif kpi["status_rule"] == "elapsed_band":
                        budget_card(rows.loc["all"], kpi)
                    else:
                        table.append(kpi_card(rows, kpi, project_id))
        if table:
            with st.expander(text("ov_table")):
                show_table(pd.DataFrame(table, dtype=object), f"oversikt_{project_id}_{as_of:%Y-%m}",
                           f"overview-{project_id}", project_views[project_id])
        figure_history(project_id, month)

# --- budget of all projects ------------------------------------------------------------------
st.subheader(text("ov_budget"))
burn = status[status["kpi_id"].map(lambda k: registry.loc[k, "status_rule"] == "elapsed_band")] \
    if not status.empty else status
burn_status = {} if burn.empty else {r["project_id"]: r for _, r in burn.iterrows()}
latest = [budget_at(p) for p in projects["project_id"]
          if p in burn_status and burn_status[p]["status"] != "no_data"]
latest = pd.DataFrame([row for row in latest if row is not None])
undelivered = [p for p, r in burn_status.items() if r["status"] == "no_data"]
if undelivered:
    names = dict(zip(projects["project_id"], projects[f"name_{lang}"]))
    st.caption(" · ".join(f"{names[p]}: {status_label(burn_status[p])}" for p in undelivered))
budget_name = kpis.loc[kpis["status_rule"] == "elapsed_band", f"name_{lang}"].iloc[0] \
    if (kpis["status_rule"] == "elapsed_band").any() else text("ov_budget")
if latest.empty:
    st.info(text("ov_no_budget"))
else:
    names = dict(zip(projects["project_id"], projects[f"name_{lang}"]))
    show_chart(figure(charts.budget_bars, latest, names, budget_name), "budget-all", NO_PEOPLE,
               data_table=False, width="stretch",
               config={"displayModeBar": False})
    st.caption(text("ov_burn_rule"))
    table = pd.DataFrame({
        text("project"): latest["project_id"],
        text("month"): latest["month"],
        text("ov_cost_to_date"): latest["cumulative_cost_sek"],
        text("ov_total_budget"): latest["total_budget_sek"],
        budget_name: latest["budget_used_share"],
        text("ov_elapsed"): latest["elapsed_share"],
        text("ov_burn_status"): [status_label(burn_status[p]) for p in latest["project_id"]],
        text("ov_esf_cost"): latest["cumulative_esf_cost_sek"],
        text("ov_esf_grant"): latest["esf_grant_sek"],
        text("ov_esf_used"): latest["esf_grant_used_share"],
    })
    kinds = {text("month"): "month", budget_name: "share", text("ov_elapsed"): "share",
             text("ov_esf_used"): "share", **{text(k): "sek" for k in (
                 "ov_cost_to_date", "ov_total_budget", "ov_esf_cost", "ov_esf_grant")}}
    show_table(table, f"budget_{as_of:%Y-%m}", "overview-budget", NO_PEOPLE, kinds)
