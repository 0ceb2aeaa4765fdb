"""Queries of the Projekt page: each project's own figures (HEART, Entry Hub, Samspelet,
the pre-study WLFS)."""

import pandas as pd

from dashboard.queries import query


def project(project_id: str) -> pd.DataFrame | None:
    return query("""
        SELECT project_id, name_sv, name_en, owner, funding, start_date, end_date,
               first_month, last_month, reporting_end_month, total_budget_sek, esf_grant_sek
        FROM marts.dim_project WHERE project_id = ?""", (project_id,))


def kpis(project_id: str) -> pd.DataFrame | None:
    return query("""
        SELECT kpi_id, name_sv, name_en, definition_sv, definition_en, unit, target,
               target_women, target_men, baseline, is_target_set_by_project, direction,
               has_gender_split, is_computed_monthly
        FROM marts.dim_kpi WHERE project_id = ? ORDER BY sort_order, kpi_id""", (project_id,))


def budget_kpis() -> pd.DataFrame | None:
    """The budget burn KPI (status rule elapsed_band): its id and names (dim_kpi)."""
    return query("""
        SELECT kpi_id, name_sv, name_en FROM marts.dim_kpi WHERE status_rule = 'elapsed_band'""")


def kpi_registry() -> pd.DataFrame | None:
    """Every KPI's protection facts (dim_kpi): whether it counts people, and whether it is
    a running total (to_date, year_to_date)."""
    return query("SELECT kpi_id, counts_people, running_total FROM marts.dim_kpi ORDER BY kpi_id")


def kpi_rows(project_id: str, with_budget: bool = False) -> pd.DataFrame | None:
    """Every KPI row of the project per month and gender (the budget's with ``with_budget``)."""
    return query("""
        SELECT project_id, kpi_id, month, gender, numerator, denominator, value, target,
               target_met, direction, unit, excluded_count, reference_value
        FROM marts.fct_kpi_monthly
        WHERE project_id = ? AND (? OR kpi_id NOT IN (
            SELECT kpi_id FROM marts.dim_kpi WHERE status_rule = 'elapsed_band'))
        ORDER BY kpi_id, month, CASE gender WHEN 'all' THEN 0 WHEN 'K' THEN 1 ELSE 2 END""",
                 (project_id, with_budget))


def comparison(project_id: str) -> pd.DataFrame | None:
    """T2's comparison group: its pooled numerator, denominator and rate per month and
    gender, and the participants' pooled rate (their counts are the KPI rows')."""
    return query("""
        SELECT project_id, month, gender, moved_on_in_month, registered_in_month,
               comparison_numerator, comparison_denominator, comparison_rate, participant_rate
        FROM marts.fct_transition_comparison_monthly
        WHERE project_id = ?
        ORDER BY month, gender""", (project_id,))


def entry_hub_cities(project_id: str) -> pd.DataFrame | None:
    """Entry Hub's visitors by city and month (fct_entry_hub_visitors_monthly)."""
    return query("""
        SELECT month, city, visitors_to_date, women_to_date, men_to_date,
               unknown_gender_to_date, known_gender_to_date, women_share_to_date,
               visitors_in_month, women_in_month, men_in_month, unknown_gender_in_month,
               visits_in_month, reported_hires_to_date
        FROM marts.fct_entry_hub_visitors_monthly
        WHERE project_id = ? ORDER BY month, city""", (project_id,))


def trainee_placements(project_id: str) -> pd.DataFrame | None:
    return query("""
        SELECT month, gender, placements_started, placements_to_date, people_to_date,
               employers_to_date, placements_running_at_month_end
        FROM marts.fct_trainee_placements_monthly
        WHERE project_id = ?
        ORDER BY month, CASE gender WHEN 'all' THEN 0 WHEN 'K' THEN 1 ELSE 2 END""",
                 (project_id,))


def budget(project_id: str) -> pd.DataFrame | None:
    return query("""
        SELECT project_id, month, cost_sek, cumulative_cost_sek, total_budget_sek,
               budget_used_share, cumulative_esf_cost_sek, esf_grant_sek, esf_grant_used_share,
               elapsed_share
        FROM marts.fct_budget_monthly
        WHERE project_id = ? AND total_budget_sek IS NOT NULL ORDER BY month""", (project_id,))
