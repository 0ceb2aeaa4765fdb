"""Queries of the ESF-rapport page: the ESF common indicators (fct_esf_indicators)."""

import pandas as pd

from dashboard.queries import query

INDICATORS = ("participants_started", "aged_under_25", "aged_25_54", "aged_over_54",
              "isced_0_2", "isced_3_4", "isced_5_8", "education_unknown", "participants_left",
              "left_in_education", "left_in_employment", "left_six_month_follow_up_due",
              "employed_six_months_after_leaving")


def esf_projects() -> pd.DataFrame | None:
    """ESF projects, with the latest month their indicators are read as of."""
    return query("""
        SELECT project.project_id, project.name_sv, project.name_en, project.reporting_end_month,
               (SELECT max(as_of_month) FROM marts.fct_esf_indicators AS esf
                WHERE esf.project_id = project.project_id) AS as_of_month
        FROM marts.dim_project AS project
        WHERE project.is_esf
        ORDER BY project.start_date, project.project_id""")


def periods(project_id: str) -> list[str]:
    """The project's reporting periods: calendar years, then 'total'."""
    found = query("""
        SELECT DISTINCT reporting_period FROM marts.fct_esf_indicators WHERE project_id = ?
        ORDER BY reporting_period = 'total', reporting_period""", (project_id,))
    return [] if found is None else found["reporting_period"].tolist()


def all_periods(project_id: str) -> pd.DataFrame | None:
    """The indicators of every reporting period of one project, one row per gender."""
    return query(f"""
        SELECT project_id, reporting_period, gender, {", ".join(INDICATORS)}, as_of_month
        FROM marts.fct_esf_indicators
        WHERE project_id = ?
        ORDER BY reporting_period = 'total', reporting_period,
                 CASE gender WHEN 'K' THEN 0 WHEN 'M' THEN 1 ELSE 2 END""", (project_id,))
