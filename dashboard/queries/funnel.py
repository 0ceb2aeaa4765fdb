"""Queries of the Kedjan page: the chain's funnel, the cohort heatmap and the drill-down.

Everything is read from marts.fct_participation_steps (one row per person and project with
the date of each step). Every value chosen in a widget is a bound parameter: each query
starts with the same ``p`` CTE that binds the selection once (``Selection.params``), and
the SQL text itself is constant (a split dimension or cohort grain is picked from fixed
expressions in this module, never from widget text).

Reading as of a date (``cutoff``): a step counts as reached when its date is on or before
the cutoff, and only intakes on or before it count, so the funnel can be read as of the
project's reporting month (like fct_funnel_cohort and the KPIs) or with all delivered data.
"""

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from dashboard.queries import query

STEPS = ("inskriven", "plan", "insats", "arbetsgivarkontakt", "anstalld", "sjalvforsorjande")
GENDERS = ("K", "M")
EDUCATION_GROUPS = ("ISCED 0-2", "ISCED 3-4", "ISCED 5-8", "unknown")
AGE_GROUPS = ("<25", "25-54", ">54", "unknown")
# Split dimensions of the funnel: key -> a fixed column of the `filtered` CTE.
SPLITS = {"gender": "gender", "education_group": "education_group", "age_group": "age_group",
          "district": "district"}
GRAINS = ("month", "quarter")


@dataclass(frozen=True)
class Selection:
    """What the user chose; empty filter lists mean 'all'."""
    project_id: str
    intake_from: dt.date
    intake_to: dt.date
    cutoff: dt.date  # last day counted: steps and intakes after it are not (yet) reached
    genders: tuple[str, ...] = field(default_factory=tuple)
    districts: tuple[str, ...] = field(default_factory=tuple)
    education_groups: tuple[str, ...] = field(default_factory=tuple)
    age_groups: tuple[str, ...] = field(default_factory=tuple)

    def params(self) -> tuple:
        def as_list(values):
            return list(values) if values else None
        return (self.project_id, self.intake_from, self.intake_to, self.cutoff,
                as_list(self.genders), as_list(self.districts), as_list(self.education_groups),
                as_list(self.age_groups))


# The selection's participants with their age group; the step dates after the cutoff are
# blanked. Parameters: Selection.params(), in this order.
_BASE = """
WITH p AS (
    SELECT ?::VARCHAR AS project_id, ?::DATE AS intake_from, ?::DATE AS intake_to,
           ?::DATE AS cutoff, ?::VARCHAR[] AS genders, ?::VARCHAR[] AS districts,
           ?::VARCHAR[] AS education_groups, ?::VARCHAR[] AS age_groups
),
participants AS (
    SELECT s.person_key, s.intake_month, s.inskriven_date, s.gender, s.district,
           s.education_group, s.birth_year, s.participation_end_date,
           CASE
               WHEN s.birth_year IS NULL THEN 'unknown'
               WHEN year(s.inskriven_date) - s.birth_year < 25 THEN '<25'
               WHEN year(s.inskriven_date) - s.birth_year <= 54 THEN '25-54'
               ELSE '>54'
           END AS age_group,
           CASE WHEN s.plan_date <= p.cutoff THEN s.plan_date END AS plan_date,
           CASE WHEN s.insats_date <= p.cutoff THEN s.insats_date END AS insats_date,
           CASE WHEN s.arbetsgivarkontakt_date <= p.cutoff
                THEN s.arbetsgivarkontakt_date END AS arbetsgivarkontakt_date,
           CASE WHEN s.anstalld_date <= p.cutoff THEN s.anstalld_date END AS anstalld_date,
           CASE WHEN s.sjalvforsorjande_date <= p.cutoff
                THEN s.sjalvforsorjande_date END AS sjalvforsorjande_date
    FROM marts.fct_participation_steps AS s, p
    WHERE s.project_id = p.project_id
      AND s.intake_month BETWEEN p.intake_from AND p.intake_to
      AND s.inskriven_date <= p.cutoff
),
filtered AS (
    SELECT participants.*
    FROM participants, p
    WHERE coalesce(list_contains(p.genders, gender), true)
      AND coalesce(list_contains(p.districts, district), true)
      AND coalesce(list_contains(p.education_groups, education_group), true)
      AND coalesce(list_contains(p.age_groups, age_group), true)
)"""

_LONG = """,
steps(step, step_order) AS (
    VALUES ('inskriven', 1), ('plan', 2), ('insats', 3), ('arbetsgivarkontakt', 4),
           ('anstalld', 5), ('sjalvforsorjande', 6)
),
long AS (
    SELECT f.*, steps.step, steps.step_order,
           CASE steps.step
               WHEN 'inskriven' THEN f.inskriven_date
               WHEN 'plan' THEN f.plan_date
               WHEN 'insats' THEN f.insats_date
               WHEN 'arbetsgivarkontakt' THEN f.arbetsgivarkontakt_date
               WHEN 'anstalld' THEN f.anstalld_date
               WHEN 'sjalvforsorjande' THEN f.sjalvforsorjande_date
           END AS step_date
    FROM filtered AS f CROSS JOIN steps
),
flagged AS (
    -- previous_date: the step before (null = not reached); skipping: reached while an
    -- earlier step was missing or reached only later (inskriven is never later).
    SELECT long.*,
           lag(step_date) OVER person_steps AS previous_date,
           coalesce(step_date < max(coalesce(step_date, DATE '9999-12-31')) OVER (
               PARTITION BY person_key ORDER BY step_order
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS skipping
    FROM long
    WINDOW person_steps AS (PARTITION BY person_key ORDER BY step_order)
)"""


def _funnel_sql(split_column: str | None) -> str:
    group = f"{split_column} AS split_value," if split_column else "'all' AS split_value,"
    return _BASE + _LONG + f"""
SELECT {group}
       step, step_order,
       count(*) AS participants,
       count(step_date) AS reached,
       CASE WHEN step_order > 1 THEN count(previous_date) END AS previous_reached,
       CASE WHEN step_order > 1
            THEN count(*) FILTER (WHERE step_date IS NOT NULL AND previous_date IS NOT NULL)
       END AS reached_with_previous,
       count(*) FILTER (WHERE skipping) AS skipped,
       median(step_date - inskriven_date) AS median_days
FROM flagged
GROUP BY split_value, step, step_order
ORDER BY split_value, step_order"""


def funnel(selection: Selection, split: str | None = None) -> pd.DataFrame | None:
    """One row per step (per split value): people who reached it, conversion from the step
    before (reached both / reached the one before) and drop-off, skippers, median days.

    ``split`` is a key of SPLITS or None.
    """
    column = SPLITS[split] if split else None
    df = query(_funnel_sql(column), selection.params())
    if df is None:
        return None
    df = df.copy()
    order = {"gender": GENDERS, "education_group": EDUCATION_GROUPS, "age_group": AGE_GROUPS}.get(split)
    if order:
        rank = {v: i for i, v in enumerate(order)}
        df = df.sort_values(["split_value", "step_order"], key=lambda c: c.map(
            lambda v: rank.get(v, len(rank)) if c.name == "split_value" else v)).reset_index(drop=True)
    df["share_of_start"] = df["reached"] / df["participants"].where(df["participants"] > 0)
    df["drop_off"] = df["previous_reached"] - df["reached_with_previous"]
    previous = df["previous_reached"].where(df["previous_reached"] > 0)
    df["conversion"] = df["reached_with_previous"] / previous
    df["drop_off_rate"] = df["drop_off"] / previous
    for c in ("previous_reached", "reached_with_previous", "drop_off"):
        df[c] = df[c].astype("Int64")
    return df


_HEATMAP_SQL = _BASE + """,
persons AS (
    SELECT date_trunc(?, intake_month)::DATE AS cohort, intake_month,
           date_diff('month', intake_month, anstalld_date) AS months_to_employed,
           date_diff('month', intake_month, sjalvforsorjande_date) AS months_to_self_supporting
    FROM filtered
),
cohorts AS (
    SELECT cohort, count(*) AS cohort_size, max(intake_month) AS youngest_intake
    FROM persons GROUP BY cohort
),
months AS (SELECT range AS months_since_intake FROM range(0, ? + 1))
SELECT c.cohort, m.months_since_intake, c.cohort_size,
       count(*) FILTER (WHERE ps.months_to_employed <= m.months_since_intake) AS employed,
       count(*) FILTER (WHERE ps.months_to_self_supporting <= m.months_since_intake)
           AS self_supporting,
       (c.youngest_intake + to_months(m.months_since_intake))::DATE
           > date_trunc('month', (SELECT cutoff FROM p))::DATE AS incomplete
FROM cohorts AS c
CROSS JOIN months AS m
LEFT JOIN persons AS ps ON ps.cohort = c.cohort
GROUP BY ALL
ORDER BY c.cohort, m.months_since_intake"""


def cohort_heatmap(selection: Selection, grain: str = "month", max_months: int = 24) -> pd.DataFrame | None:
    """Cohort x months since intake: how many of the cohort were employed and
    self-supporting by the end of intake month + k (cumulative: first step date).

    A cell is ``incomplete`` when the cohort's youngest intake month + k is after the
    cutoff's month: its follow-up is still open.
    """
    if grain not in GRAINS:
        raise ValueError(grain)
    df = query(_HEATMAP_SQL, selection.params() + (grain, int(max_months)))
    if df is None:
        return None
    df = df.copy()
    size = df["cohort_size"].where(df["cohort_size"] > 0)
    df["share_employed"] = df["employed"] / size
    df["share_self_supporting"] = df["self_supporting"] / size
    return df


_PEOPLE_SQL = _BASE + """
SELECT person_key, gender, age_group, district, education_group, inskriven_date, plan_date,
       insats_date, arbetsgivarkontakt_date, anstalld_date, sjalvforsorjande_date,
       participation_end_date
FROM filtered
WHERE date_trunc(?, intake_month)::DATE = ?::DATE
  AND (CASE ?
           WHEN 'inskriven' THEN inskriven_date
           WHEN 'plan' THEN plan_date
           WHEN 'insats' THEN insats_date
           WHEN 'arbetsgivarkontakt' THEN arbetsgivarkontakt_date
           WHEN 'anstalld' THEN anstalld_date
           WHEN 'sjalvforsorjande' THEN sjalvforsorjande_date
       END IS NOT NULL) = ?
ORDER BY inskriven_date, person_key"""


def people(selection: Selection, grain: str, cohort: dt.date, step: str,
           reached: bool = True) -> pd.DataFrame | None:
    """Pseudonymous participants of one cohort who reached (or did not reach) a step, with
    their step dates as of the cutoff. Only for users who may see people (the page checks)."""
    if grain not in GRAINS or step not in STEPS:
        raise ValueError((grain, step))
    return query(_PEOPLE_SQL, selection.params() + (grain, cohort, step, bool(reached)))


def project_frame(project_id: str) -> pd.DataFrame | None:
    """The project's months: reporting (as-of) month and latest month of data, and the
    range of intake months in the chain."""
    return query("""
        SELECT d.project_id, d.reporting_end_month, d.latest_data_month,
               min(s.intake_month) AS first_intake, max(s.intake_month) AS last_intake,
               count(s.person_key) AS participants
        FROM marts.dim_project AS d
        LEFT JOIN marts.fct_participation_steps AS s ON s.project_id = d.project_id
        WHERE d.project_id = ?
        GROUP BY ALL""", (project_id,))


def intake_months(project_id: str, cutoff: dt.date) -> list[dt.date]:
    df = query("""
        SELECT DISTINCT intake_month FROM marts.fct_participation_steps
        WHERE project_id = ? AND inskriven_date <= ?::DATE ORDER BY intake_month""",
               (project_id, cutoff))
    return [] if df is None else [pd.Timestamp(m).date() for m in df["intake_month"]]


def districts(project_id: str) -> list[str]:
    df = query("""
        SELECT DISTINCT district FROM marts.fct_participation_steps
        WHERE project_id = ? ORDER BY district = 'unknown', district""", (project_id,))
    return [] if df is None else df["district"].tolist()


def projects_with_participants() -> pd.DataFrame | None:
    return query("""
        SELECT d.project_id, d.name_sv, d.name_en, count(s.person_key) AS participants
        FROM marts.dim_project AS d
        LEFT JOIN marts.fct_participation_steps AS s ON s.project_id = d.project_id
        GROUP BY ALL ORDER BY participants DESC, d.project_id""")
