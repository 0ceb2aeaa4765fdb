"""Queries of the Översikt page (and of the KPI page and the report): the KPI status mart.

Every status, forecast and target met comes from marts.fct_kpi_status, where the rule
lives (dbt_project/models/marts/fct_kpi_status.sql); nothing here computes one. The page
reads each project as of the chosen month: the project's latest status month up to it.
"""

import pandas as pd

from dashboard.queries import query


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
               status_rule, forecast, reference_name_sv, reference_name_en, excluded_name_sv,
               excluded_name_en, sort_order
        FROM marts.dim_kpi ORDER BY project_id NULLS LAST, sort_order, kpi_id""")


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
    """The newest delivered file (its export date) and when it was loaded. The data date
    is per project (dim_project.reporting_end_month: the newest month its data covers)."""
    return query("""
        SELECT (SELECT max(export_date) FROM ops.load_log WHERE status = 'loaded')
                   AS latest_export,
               (SELECT max(finished_at) FROM ops.load_log WHERE status = 'loaded')
                   AS latest_load""")


STATUS_COLUMNS = """project_id, kpi_id, month, gender, unit, value, numerator, denominator,
    target, target_met, direction, excluded_count, reference_value, judged_value, judged_target,
    pace, forecast_value, forecast_month, forecast_target, status, missing_sources,
    inputs_from_month"""


def kpi_status(project_id: str, as_of: pd.Timestamp) -> pd.DataFrame | None:
    """fct_kpi_status's rows of a project (every KPI and gender) at its latest status month
    up to ``as_of``; empty when the project had not started (or has no months yet)."""
    return query(f"""
        SELECT {STATUS_COLUMNS} FROM marts.fct_kpi_status
        WHERE project_id = ? AND month = (SELECT max(month) FROM marts.fct_kpi_status
                                           WHERE project_id = ? AND month <= ?)
        ORDER BY kpi_id, CASE gender WHEN 'all' THEN 0 WHEN 'K' THEN 1 ELSE 2 END""",
                 (project_id, project_id, as_of.date()))

