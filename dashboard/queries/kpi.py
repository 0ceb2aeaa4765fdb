"""Queries of the KPI page: one KPI of one project, month by month."""

import pandas as pd

from dashboard.queries import query


def kpi_options() -> pd.DataFrame | None:
    """Every KPI with its project (a KPI without one, budget burn, once per project with a
    budget), in the order of the projects' starts and the KPIs' sort order."""
    return query("""
        SELECT kpi.kpi_id, coalesce(kpi.project_id, project.project_id) AS project_id,
               kpi.name_sv, kpi.name_en, kpi.definition_sv, kpi.definition_en, kpi.unit,
               kpi.target, kpi.target_women, kpi.target_men, kpi.target_per_year,
               kpi.baseline, kpi.target_factor, kpi.is_target_set_by_project, kpi.direction,
               kpi.has_gender_split, kpi.is_computed_monthly, kpi.status_rule,
               kpi.reference_name_sv, kpi.reference_name_en, kpi.excluded_name_sv,
               kpi.excluded_name_en, project.participant_count
        FROM marts.dim_kpi AS kpi
        INNER JOIN marts.dim_project AS project
            ON project.project_id = kpi.project_id
            OR (kpi.project_id IS NULL AND project.total_budget_sek IS NOT NULL)
        ORDER BY project.start_date, project.project_id, kpi.sort_order, kpi.kpi_id""")
