"""Queries of the Översikt page, and the status rule and forecast it shows.

The SQL reads fct_kpi_monthly (and Samspelet's trainee placements, a monitored KPI that
fct_kpi_monthly does not compute) up to the as-of month, so the page shows every figure as
it stood at the end of that month. The forecast and status are derived here in Python
from those rows (``forecast``, ``status``, ``kpi_status``); the rule is written in the
page's docstring and shown on the page (label ``ov_status_rule``).
"""

from dataclasses import dataclass

import pandas as pd

from dashboard.queries import query

# How a KPI's value moves over time, for the forecast:
#   to_date: a count to date since the project's start (it only grows);
#   level: a count of people in the month (T3 etst_subsidised_jobs);
#   year_to_date: a count from 1 January (T4 etst_guide_matches, target per year);
#   rate: a share or ratio (units 'share' and 'ratio').
KIND = {"etst_subsidised_jobs": "level", "etst_guide_matches": "year_to_date"}
PACE_MONTHS = 6
RISK_BAND = 0.9

ON_TRACK, AT_RISK, BEHIND, MONITORED, NO_VALUE, NOT_STARTED, DOCUMENTED = (
    "on_track", "at_risk", "behind", "monitored", "no_value", "not_started", "documented")


def as_of_months() -> pd.DataFrame | None:
    """Months the page can be read as of: the first project month to the latest month of data."""
    return query("""
        SELECT month FROM marts.dim_month
        WHERE month >= (SELECT min(first_month) FROM marts.dim_project
                        WHERE reporting_end_month IS NOT NULL)
          AND month <= (SELECT max(reporting_end_month) FROM marts.dim_project)
        ORDER BY month""")


def projects() -> pd.DataFrame | None:
    return query("""
        SELECT project_id, name_sv, name_en, owner, funding, is_esf, start_date, end_date,
               first_month, last_month, latest_data_month, reporting_end_month,
               total_budget_sek, esf_grant_sek, participant_count
        FROM marts.dim_project ORDER BY start_date, project_id""")


def kpis() -> pd.DataFrame | None:
    return query("""
        SELECT kpi_id, project_id, name_sv, name_en, definition_sv, definition_en, unit, target,
               target_women, target_men, target_per_year, baseline, target_factor,
               is_target_set_by_project, direction, has_gender_split, is_computed_monthly,
               sort_order
        FROM marts.dim_kpi ORDER BY project_id NULLS LAST, sort_order, kpi_id""")


# fct_kpi_monthly's rows, plus Samspelet's sams_trainee_placements: monitored without a
# monthly KPI row, its value is the trainee placements to date (fct_trainee_placements_monthly).
KPI_ROWS = """(
    SELECT project_id, kpi_id, month, gender, numerator, denominator, value, target,
           target_met, direction, unit, excluded_count, reference_value
    FROM marts.fct_kpi_monthly
    UNION ALL
    SELECT placements.project_id, kpi.kpi_id, placements.month, placements.gender,
           placements.placements_to_date, NULL, placements.placements_to_date,
           CASE WHEN placements.gender = 'all' THEN kpi.target END, NULL, kpi.direction,
           kpi.unit, NULL, NULL
    FROM marts.fct_trainee_placements_monthly AS placements
    INNER JOIN marts.dim_kpi AS kpi
        ON kpi.project_id = placements.project_id
        AND kpi.kpi_id = 'sams_trainee_placements'
) AS kpi_rows"""


def budget(as_of: pd.Timestamp) -> pd.DataFrame | None:
    """Budget burn per project with a budget, up to the as-of month."""
    return query("""
        SELECT project_id, month, cost_sek, cumulative_cost_sek, cumulative_esf_cost_sek,
               total_budget_sek, esf_grant_sek, budget_used_share, esf_grant_used_share,
               elapsed_share
        FROM marts.fct_budget_monthly
        WHERE month <= ? AND total_budget_sek IS NOT NULL
        ORDER BY project_id, month""", (as_of.date(),))


def freshness() -> pd.DataFrame | None:
    """The newest delivered file (its export date) and the latest month of data."""
    return query("""
        SELECT (SELECT max(export_date) FROM ops.load_log WHERE status = 'loaded')
                   AS latest_export,
               (SELECT max(finished_at) FROM ops.load_log WHERE status = 'loaded')
                   AS latest_load,
               (SELECT max(reporting_end_month) FROM marts.dim_project) AS latest_month""")


# --- forecast and status --------------------------------------------------------------------

def months_between(start, end) -> int:
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    return (end.year - start.year) * 12 + end.month - start.month


def kind_of(kpi_id: str, unit: str) -> str:
    if unit in ("share", "ratio"):
        return "rate"
    return KIND.get(kpi_id, "to_date")


@dataclass
class Forecast:
    value: float | None
    month: pd.Timestamp | None      # the horizon: the project's (or T4's year's) last month
    pace: float | None              # change per month used for the forecast


def forecast(series: pd.Series, kind: str, end_month) -> Forecast:
    """The value at the horizon at the current pace.

    ``series``: the KPI's total per month (index: month), up to the as-of month. Rates:
    the latest value. Counts: the latest value plus the pace of the last 6 months (the
    change over the last 6 months / 6; a count to date counts from 0 before the start)
    times the months left to the project's end month; T4 (year to date) at its pace of the
    last 6 months to the end of the year or the project's end, whichever is first. A
    project without an end date, or one that has ended, has no months left: the forecast
    is the latest value. A forecast count is never below 0.
    """
    series = series.dropna().sort_index()
    if series.empty:
        return Forecast(None, None, None)
    latest_month, latest = series.index[-1], float(series.iloc[-1])
    if kind == "rate":
        return Forecast(latest, pd.Timestamp(end_month) if end_month is not None else None, None)
    horizon = None if end_month is None or pd.isna(end_month) else pd.Timestamp(end_month)
    if kind == "year_to_date":
        year_end = pd.Timestamp(year=latest_month.year, month=12, day=1)
        horizon = year_end if horizon is None else min(horizon, year_end)
        increments = series.diff()
        new_year = [m.month == 1 or i == 0 for i, m in enumerate(series.index)]
        increments[new_year] = series[new_year]
        pace = float(increments.iloc[-PACE_MONTHS:].mean())
    elif kind == "level":
        window = series.iloc[-(PACE_MONTHS + 1):]
        span = months_between(window.index[0], window.index[-1])
        pace = (float(window.iloc[-1]) - float(window.iloc[0])) / span if span else 0.0
    else:  # to_date: 0 before the first month
        window = series.iloc[-(PACE_MONTHS + 1):]
        if len(series) <= PACE_MONTHS:
            pace = latest / len(series)
        else:
            pace = (latest - float(window.iloc[0])) / months_between(window.index[0], latest_month)
    left = max(0, months_between(latest_month, horizon)) if horizon is not None else 0
    return Forecast(max(0.0, latest + pace * left), horizon, pace)


def meets(value: float, target: float, direction: str | None) -> bool:
    if direction == ">":
        return value > target
    if direction == "<=":
        return value <= target
    if direction == "<":
        return value < target
    return value >= target


def status(value, forecast_value, target, direction, time_left: bool,
           open_count: bool = False, pace: float | None = None) -> str:
    """The status of one KPI (the rule is in the Översikt page's docstring and help text).

    ``open_count``: a count of a project without an end date, which has no end to
    forecast to: on track once the target is met, at risk while it still grows, behind
    when it does not grow.
    """
    if target is None or pd.isna(target):
        return MONITORED
    if value is None or pd.isna(value) or forecast_value is None:
        return NO_VALUE
    if meets(forecast_value, target, direction):
        return ON_TRACK
    if open_count:
        return AT_RISK if pace is not None and pace > 0 else BEHIND
    if time_left and forecast_value >= RISK_BAND * target:
        return AT_RISK
    return BEHIND


def kpi_status(history: pd.DataFrame, projects: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per project and KPI: the total's value at the as-of month, its target,
    forecast and status, K and M values, the numerator and denominator."""
    rows = []
    ends = projects.set_index("project_id")["last_month"]
    for (project_id, kpi_id), part in history.groupby(["project_id", "kpi_id"], sort=False):
        total = part[part["gender"] == "all"].set_index("month").sort_index()
        if total.empty:
            continue
        latest = total.iloc[-1]
        month = total.index[-1]
        end_month = ends.get(project_id)
        end_month = None if end_month is None or pd.isna(end_month) else pd.Timestamp(end_month)
        kind = kind_of(kpi_id, latest["unit"])
        predicted = forecast(pd.to_numeric(total["value"], errors="coerce"), kind, end_month)
        time_left = end_month is None or pd.Timestamp(month) < end_month
        if kind == "year_to_date" and predicted.month is not None:
            time_left = pd.Timestamp(month) < predicted.month
        genders = part[part["month"] == month].set_index("gender")
        rows.append({
            "project_id": project_id, "kpi_id": kpi_id, "month": month, "unit": latest["unit"],
            "kind": kind, "value": latest["value"], "numerator": latest["numerator"],
            "denominator": latest["denominator"], "target": latest["target"],
            "direction": latest["direction"], "excluded_count": latest["excluded_count"],
            "reference_value": latest["reference_value"],
            "forecast": predicted.value, "forecast_month": predicted.month,
            "pace": predicted.pace,
            "status": status(latest["value"], predicted.value, latest["target"],
                             latest["direction"], time_left,
                             open_count=end_month is None and kind != "rate",
                             pace=predicted.pace),
            "value_K": genders["value"].get("K"), "value_M": genders["value"].get("M"),
            "target_K": genders["target"].get("K"), "target_M": genders["target"].get("M"),
        })
    return pd.DataFrame(rows)


def project_as_of(project: pd.Series, as_of: pd.Timestamp) -> pd.Timestamp | None:
    """The month a project is read as of: the as-of month, or the project's last month of
    data when it ended earlier; None when the project had not started."""
    if pd.isna(project["reporting_end_month"]) or as_of < pd.Timestamp(project["first_month"]):
        return None
    return min(as_of, pd.Timestamp(project["reporting_end_month"]))
