"""Queries of the Kedjan page: the chain step by step, the cohort heatmap and the drill-down.

The rules are the models': which step counts as reached by when, who skipped a step, a
participant's age group and a cohort's follow-up are computed in dbt. These queries only
pick the cells of a selection and add them up: the chain from marts.fct_funnel_steps, the
heatmap from marts.fct_funnel_cohort_months, the participants from
marts.fct_funnel_participants (one row per person of those cells).

A selection is one project, one reading ('as_of': steps up to the project's reporting
month, as the KPIs; 'latest': up to its latest delivered data), a range of intake months
and the page's filters. Every value chosen in a widget is a bound parameter: each query
starts with the same ``p`` CTE that binds the selection once (``Selection.params``), and
the SQL text itself is constant (a split dimension or cohort grain is picked from fixed
expressions in this module, never from widget text).

``funnel(selection, split)`` is the one function for "the funnel of a project for a
selection"; ``whole_project(project_id)`` gives the selection the steering group sees.
"""

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from dashboard.queries import query

STEPS = ("inskriven", "plan", "insats", "arbetsgivarkontakt", "anstalld", "sjalvforsorjande")
# Display order of the groups (their values are the models').
GENDERS = ("K", "M")
EDUCATION_GROUPS = ("ISCED 0-2", "ISCED 3-4", "ISCED 5-8", "unknown")
AGE_GROUPS = ("under 25", "25-54", "over 54", "unknown")
# Split dimensions of the funnel: key -> a fixed column of the marts.
SPLITS = {"gender": "gender", "education_group": "education_group", "age_group": "age_group",
          "district": "district"}
GRAINS = ("month", "quarter")
READINGS = ("as_of", "latest")


@dataclass(frozen=True)
class Selection:
    """What the user chose; empty filter lists mean 'all'."""
    project_id: str
    reading: str  # 'as_of' or 'latest' (marts.fct_funnel_steps.reading)
    intake_from: dt.date
    intake_to: dt.date
    genders: tuple[str, ...] = field(default_factory=tuple)
    districts: tuple[str, ...] = field(default_factory=tuple)
    education_groups: tuple[str, ...] = field(default_factory=tuple)
    age_groups: tuple[str, ...] = field(default_factory=tuple)

    def params(self) -> tuple:
        def as_list(values):
            return list(values) if values else None
        return (self.project_id, self.reading, self.intake_from, self.intake_to,
                as_list(self.genders), as_list(self.districts), as_list(self.education_groups),
                as_list(self.age_groups))


def _selected(table: str) -> str:
    """``p`` (the selection's parameters) and ``selected``: the rows of ``table`` (one of
    the funnel marts) that the selection takes."""
    return f"""
WITH p AS (
    SELECT ?::VARCHAR AS project_id, ?::VARCHAR AS reading, ?::DATE AS intake_from,
           ?::DATE AS intake_to, ?::VARCHAR[] AS genders, ?::VARCHAR[] AS districts,
           ?::VARCHAR[] AS education_groups, ?::VARCHAR[] AS age_groups
),
selected AS (
    SELECT t.*
    FROM marts.{table} AS t, p
    WHERE t.project_id = p.project_id
      AND t.reading = p.reading
      AND t.intake_month BETWEEN p.intake_from AND p.intake_to
      AND coalesce(list_contains(p.genders, t.gender), true)
      AND coalesce(list_contains(p.districts, t.district), true)
      AND coalesce(list_contains(p.education_groups, t.education_group), true)
      AND coalesce(list_contains(p.age_groups, t.age_group), true)
)"""


def _funnel_sql(split_column: str | None) -> str:
    group = f"{split_column} AS split_value," if split_column else "'all' AS split_value,"
    return _selected("fct_funnel_steps") + f"""
SELECT {group}
       step, step_order,
       sum(cohort_size)::BIGINT AS participants,
       sum(reached_count)::BIGINT AS reached,
       sum(previous_step_reached_count)::BIGINT AS previous_reached,
       sum(reached_with_previous_count)::BIGINT AS reached_with_previous,
       sum(dropped_off_count)::BIGINT AS drop_off,
       sum(skipped_count)::BIGINT AS skipped
FROM selected
GROUP BY split_value, step, step_order
ORDER BY split_value, step_order"""


def funnel(selection: Selection, split: str | None = None) -> pd.DataFrame | None:
    """The funnel of a project for a selection: one row per step (per split value) with
    the participants, who reached the step, who reached the step before, who reached both
    (directly after the step before), who dropped off and who skipped a step, and the
    rates of those sums (share of the enrolled, conversion from the step before, drop-off
    rate).

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
    previous = df["previous_reached"].where(df["previous_reached"] > 0)
    df["conversion"] = df["reached_with_previous"] / previous
    df["drop_off_rate"] = df["drop_off"] / previous
    for c in ("previous_reached", "reached_with_previous", "drop_off"):
        df[c] = df[c].astype("Int64")
    return df


_HEATMAP_SQL = _selected("fct_funnel_cohort_months") + """
SELECT date_trunc(?, intake_month)::DATE AS cohort, months_since_intake,
       sum(cohort_size)::BIGINT AS cohort_size,
       sum(employed_count)::BIGINT AS employed,
       sum(self_supporting_count)::BIGINT AS self_supporting,
       bool_or(is_follow_up_open) AS incomplete
FROM selected
WHERE months_since_intake <= ?
GROUP BY ALL
ORDER BY cohort, months_since_intake"""


def cohort_heatmap(selection: Selection, grain: str = "month", max_months: int = 24) -> pd.DataFrame | None:
    """Cohort x months since intake: how many of the cohort were employed and
    self-supporting by the end of intake month + k (cumulative), and whether the cell's
    follow-up is still open (``incomplete``: for its youngest intake month)."""
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


_PEOPLE_SQL = _selected("fct_funnel_participants") + """
SELECT person_key, gender, age_group, district, education_group, inskriven_date, plan_date,
       insats_date, arbetsgivarkontakt_date, anstalld_date, sjalvforsorjande_date,
       participation_end_date
FROM selected
WHERE (?::DATE IS NULL OR date_trunc(?, intake_month)::DATE = ?::DATE)
  AND (?::VARCHAR IS NULL OR CASE ?
           WHEN 'gender' THEN gender
           WHEN 'education_group' THEN education_group
           WHEN 'age_group' THEN age_group
           WHEN 'district' THEN district
       END = ?)
  AND (CASE ?
           WHEN 'inskriven' THEN inskriven_date
           WHEN 'plan' THEN plan_date
           WHEN 'insats' THEN insats_date
           WHEN 'arbetsgivarkontakt' THEN arbetsgivarkontakt_date
           WHEN 'anstalld' THEN anstalld_date
           WHEN 'sjalvforsorjande' THEN sjalvforsorjande_date
       END IS NOT NULL) = ?
ORDER BY inskriven_date, person_key"""


def people(selection: Selection, step: str, reached: bool = True, grain: str = "month",
           cohort: dt.date | None = None, group: tuple[str, str] | None = None) -> pd.DataFrame | None:
    """Pseudonymous participants of the selection who reached (or did not reach) a step,
    with their step dates as of the reading; only those of one cohort (``grain``,
    ``cohort``) or one split group (``group`` = (a key of SPLITS, its value)) when given.
    Only for users who may see people (the page checks)."""
    if grain not in GRAINS or step not in STEPS or (group and group[0] not in SPLITS):
        raise ValueError((grain, step, group))
    split, value = group or (None, None)
    return query(_PEOPLE_SQL, selection.params() + (cohort, grain, cohort, split, split, value,
                                                    step, bool(reached)))


def readings(project_id: str) -> pd.DataFrame | None:
    """The project's readings in order ('as_of' first) with their months."""
    return query("""
        SELECT DISTINCT reading, reading_month FROM marts.fct_funnel_steps
        WHERE project_id = ? ORDER BY reading_month""", (project_id,))


def intake_months(project_id: str, reading: str) -> list[dt.date]:
    df = query("""
        SELECT DISTINCT intake_month FROM marts.fct_funnel_steps
        WHERE project_id = ? AND reading = ? ORDER BY intake_month""", (project_id, reading))
    return [] if df is None else [pd.Timestamp(m).date() for m in df["intake_month"]]


def whole_project(project_id: str, reading: str | None = None) -> Selection | None:
    """The project's whole intake as of ``reading`` (default: its first reading, the
    reporting month): the one selection the steering group sees. None without chain data."""
    found = readings(project_id)
    if found is None or found.empty:
        return None
    reading = reading or found["reading"].iloc[0]
    months = intake_months(project_id, reading)
    return Selection(project_id, reading, months[0], months[-1]) if months else None


def districts(project_id: str) -> list[str]:
    df = query("""
        SELECT DISTINCT district FROM marts.fct_funnel_steps
        WHERE project_id = ? ORDER BY district = 'unknown', district""", (project_id,))
    return [] if df is None else df["district"].tolist()


def projects_with_participants() -> pd.DataFrame | None:
    """Every project with how many took part in its chain (0: no chain data, as Entry Hub,
    whose visitors are not registered participants)."""
    return query("""
        SELECT d.project_id, d.name_sv, d.name_en, count(DISTINCT f.person_key) AS participants
        FROM marts.dim_project AS d
        LEFT JOIN marts.fct_funnel_participants AS f ON f.project_id = d.project_id
        GROUP BY ALL ORDER BY participants DESC, d.project_id""")
