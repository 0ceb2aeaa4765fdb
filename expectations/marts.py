"""Suites for the marts (schema ``marts``), written against their public contract.

Only the contract is assumed: ``fct_kpi_monthly(project_id, kpi_id, month DATE, gender in
('all', 'K', 'M'), numerator, denominator, value, target, target_met)``, ``dim_kpi(kpi_id,
unit)``, ``dim_project`` (id, start and end dates), ``fct_participation_steps`` (one row per
person and project, ``inskriven_date`` and one ``<step>_date`` per chain step) and
``fct_funnel_cohort`` (conversion shares). A mart that does not exist is not validated; an
expectation whose table or column is missing is reported as skipped, never as failed.

Severities (``critical`` blocks publishing, ``warning`` is shown on the data-quality page):

- ``fct_kpi_monthly``, **critical**: the contract's columns exist; the key columns are never
  empty; ``gender`` in ('all', 'K', 'M'); one row per (project_id, kpi_id, month, gender);
  ``value`` within [0, 1] for every KPI whose ``dim_kpi.unit`` is ``share``; ``numerator``
  never above ``denominator`` where both are set. Exception: a share that may honestly
  exceed 1 (``SHARES_MAY_EXCEED_ONE``: ``budget_burn``, cost to date over the budget, is
  above 1 when a project overspends) must be >= 0 (critical), and above 1 (and a numerator
  above the denominator) is a **warning**: an overspend is a fact the steering group must
  see, not a reason to stop publishing.
- KPI coverage (suite ``marts.fct_kpi_monthly.coverage``), **critical**: for every project
  in ``dim_project``, every KPI that ``fct_kpi_monthly`` has for the project has a row for
  each gender ('all', 'K', 'M') and every month from the project's start month to the
  earlier of its end month and its latest month of data. The latest month of data is
  ``dim_project.latest_data_month`` where the mart has that column, else the project's
  latest month in ``fct_kpi_monthly``.
- ``fct_participation_steps``, **critical**: one row per (person_key, project_id); no step
  date (``plan_date``, ``insats_date``, ... ``sjalvforsorjande_date``) before
  ``inskriven_date`` (projects.md: a step counts only on or after intake).
- ``fct_funnel_cohort``, **critical**: every conversion share (numeric columns named
  ``conversion*``, ``*_share`` or ``*_rate``) within [0, 1]; ``reached_count`` never above
  ``cohort_size``.
- ``fct_budget_monthly`` (where it exists): ``elapsed_share`` within [0, 1] and used
  shares >= 0, **critical**; a used share above 1 (overspend), **warning**.
"""

import re

from expectations.common import (
    CRITICAL, WARNING, Column as Col, Skipped, Target, columns_of, expect, read_frame,
    table_exists,
)

SCHEMA = "marts"
GENDERS = ("all", "K", "M")
KPI_KEY = ("project_id", "kpi_id", "month", "gender")
KPI_CONTRACT = KPI_KEY + ("numerator", "denominator", "value", "target", "target_met")
SHARE_UNIT = "share"
SHARES_MAY_EXCEED_ONE = ("budget_burn",)
# The chain of projects.md; step 1 (inskriven) is the intake the others are compared with.
CHAIN_STEPS = ("inskriven", "plan", "insats", "arbetsgivarkontakt", "anstalld",
               "sjalvforsorjande")
SHARE_COLUMN = re.compile(r"^conversion.*|.*_share$|.*_rate$")
NUMERIC = re.compile(r"^(DOUBLE|FLOAT|REAL|DECIMAL.*|BIGINT|INTEGER|HUGEINT|SMALLINT|TINYINT)$")
# dim_project column names the coverage check accepts, in order of preference.
PROJECT_ID = ("project_id", "project_code", "code")
PROJECT_START = ("start_date", "period_start", "start", "first_month")
PROJECT_END = ("end_date", "period_end", "end", "last_month")


def targets(con) -> list[Target]:
    out = []
    for build in (kpi_monthly, kpi_coverage, participation_steps, funnel_cohort,
                  budget_monthly):
        target = build(con)
        if target is not None:
            out.append(target)
    return out


def _absent(suite: str, table: str, reason: str, expectations: list[tuple[str, str | None]],
            severity: str = CRITICAL) -> Target:
    """A target that is not run: every expectation it would hold is reported as skipped."""
    return Target(suite, table, None, [], [Skipped(e, c, severity, reason)
                                           for e, c in expectations])


def _first(columns, names) -> str | None:
    return next((n for n in names if n in columns), None)


# --- fct_kpi_monthly ---------------------------------------------------------------------

def kpi_monthly(con) -> Target | None:
    table = f"{SCHEMA}.fct_kpi_monthly"
    if not table_exists(con, SCHEMA, "fct_kpi_monthly"):
        return None
    columns = columns_of(con, SCHEMA, "fct_kpi_monthly")
    skipped = []
    dim = columns_of(con, SCHEMA, "dim_kpi") if table_exists(con, SCHEMA, "dim_kpi") else {}
    has_unit = {"kpi_id", "unit"} <= set(dim) and "kpi_id" in columns
    join = ""
    if has_unit:
        join = (f"LEFT JOIN (SELECT kpi_id, any_value(unit) AS kpi_unit FROM {SCHEMA}.dim_kpi "
                "GROUP BY kpi_id) AS d USING (kpi_id)")
    frame = read_frame(con, f"SELECT f.*{', d.kpi_unit' if has_unit else ''} "
                            f"FROM {table} AS f {join}")
    exps = [expect("ExpectTableColumnsToMatchSet", CRITICAL, "contract columns missing",
                   column_set=list(KPI_CONTRACT), exact_match=False)]
    present = [c for c in KPI_KEY if c in columns]
    exps += [expect("ExpectColumnValuesToNotBeNull", CRITICAL, f"with {c} empty", column=c)
             for c in present]
    if "month" in columns:
        exps.append(expect("ExpectColumnValuesToBeOfType", CRITICAL, "column month is not a date",
                           column="month", type_="datetime64"))
    if "gender" in columns:
        exps.append(expect("ExpectColumnValuesToBeInSet", CRITICAL,
                           f"with gender not in {', '.join(GENDERS)}", column="gender",
                           value_set=list(GENDERS)))
    if len(present) == len(KPI_KEY):
        exps.append(expect("ExpectCompoundColumnsToBeUnique", CRITICAL,
                           "sharing (project_id, kpi_id, month, gender) with another row",
                           column_list=list(KPI_KEY)))
    else:
        skipped.append(Skipped("expect_compound_columns_to_be_unique", ", ".join(KPI_KEY),
                               CRITICAL, f"{table} lacks "
                               f"{', '.join(c for c in KPI_KEY if c not in columns)}"))
    # Shares within [0, 1].
    exempt = list(SHARES_MAY_EXCEED_ONE)
    if has_unit and "value" in columns:
        share = Col("kpi_unit") == SHARE_UNIT
        exps += [
            expect("ExpectColumnValuesToBeBetween", CRITICAL, "with a share KPI below 0",
                   column="value", min_value=0, row_condition=share),
            expect("ExpectColumnValuesToBeBetween", CRITICAL, "with a share KPI above 1",
                   column="value", max_value=1,
                   row_condition=share & Col("kpi_id").is_not_in(exempt)),
            expect("ExpectColumnValuesToBeBetween", WARNING,
                   f"with {', '.join(exempt)} above 1 (overspend)", column="value",
                   max_value=1, row_condition=share & Col("kpi_id").is_in(exempt)),
        ]
    else:
        why = ("marts.dim_kpi does not exist" if not dim else
               "marts.dim_kpi lacks kpi_id or unit" if not {"kpi_id", "unit"} <= set(dim) else
               f"{table} lacks {'value' if 'value' not in columns else 'kpi_id'}")
        skipped.append(Skipped("expect_column_values_to_be_between", "value", CRITICAL,
                               f"shares within [0, 1] not checked: {why}"))
    # Numerator never above denominator.
    if {"numerator", "denominator"} <= set(columns):
        pair = dict(column_A="denominator", column_B="numerator", or_equal=True,
                    ignore_row_if="either_value_is_missing")
        if "kpi_id" in columns:
            exps += [
                expect("ExpectColumnPairValuesAToBeGreaterThanB", CRITICAL,
                       "with numerator above denominator", **pair,
                       row_condition=Col("kpi_id").is_not_in(exempt)),
                expect("ExpectColumnPairValuesAToBeGreaterThanB", WARNING,
                       f"with numerator above denominator for {', '.join(exempt)} (overspend)",
                       **pair, row_condition=Col("kpi_id").is_in(exempt)),
            ]
        else:
            exps.append(expect("ExpectColumnPairValuesAToBeGreaterThanB", CRITICAL,
                               "with numerator above denominator", **pair))
    else:
        skipped.append(Skipped("expect_column_pair_values_a_to_be_greater_than_b",
                               "numerator, denominator", CRITICAL,
                               f"{table} lacks numerator or denominator"))
    return Target(table, table, frame, exps, skipped,
                  label_columns=tuple(c for c in KPI_KEY if c in columns))


def kpi_coverage(con) -> Target | None:
    """Expected (project, KPI, gender, month) rows of fct_kpi_monthly, with rows found."""
    suite, table = f"{SCHEMA}.fct_kpi_monthly.coverage", f"{SCHEMA}.fct_kpi_monthly"
    what = [("expect_column_values_to_be_between", "kpi_rows")]
    if not table_exists(con, SCHEMA, "fct_kpi_monthly"):
        return None
    fct = columns_of(con, SCHEMA, "fct_kpi_monthly")
    if not set(KPI_KEY) <= set(fct):
        return _absent(suite, table, f"{table} lacks "
                       f"{', '.join(c for c in KPI_KEY if c not in fct)}", what)
    if not table_exists(con, SCHEMA, "dim_project"):
        return _absent(suite, table, "marts.dim_project does not exist", what)
    dim = columns_of(con, SCHEMA, "dim_project")
    pid, start, end = (_first(dim, PROJECT_ID), _first(dim, PROJECT_START),
                       _first(dim, PROJECT_END))
    if not (pid and start and end):
        return _absent(suite, table, "marts.dim_project lacks a project id, start or end "
                       f"column (looked for {PROJECT_ID}, {PROJECT_START}, {PROJECT_END})", what)
    latest = ("date_trunc('month', TRY_CAST(latest_data_month AS DATE))"
              if "latest_data_month" in dim else "NULL::DATE")
    frame = read_frame(con, f"""
        WITH fct AS (
            SELECT project_id, kpi_id, gender, date_trunc('month', month)::DATE AS month
            FROM {table} WHERE month IS NOT NULL),
        project AS (
            SELECT "{pid}" AS project_id,
                   date_trunc('month', TRY_CAST("{start}" AS DATE))::DATE AS first_month,
                   date_trunc('month', TRY_CAST("{end}" AS DATE))::DATE AS last_month,
                   {latest}::DATE AS latest_data_month
            FROM {SCHEMA}.dim_project),
        bounds AS (
            SELECT p.project_id, p.first_month,
                   CASE WHEN p.last_month IS NULL THEN coalesce(p.latest_data_month, f.latest)
                        ELSE least(p.last_month, coalesce(p.latest_data_month, f.latest))
                   END AS final_month
            FROM project AS p
            JOIN (SELECT project_id, max(month) AS latest FROM fct GROUP BY ALL) AS f
              USING (project_id)),
        expected AS (
            SELECT b.project_id, k.kpi_id, g.gender,
                   unnest(generate_series(b.first_month, b.final_month, INTERVAL 1 MONTH))::DATE
                       AS month
            FROM bounds AS b
            JOIN (SELECT DISTINCT project_id, kpi_id FROM fct) AS k USING (project_id)
            CROSS JOIN (SELECT unnest(?) AS gender) AS g
            WHERE b.first_month IS NOT NULL AND b.final_month >= b.first_month)
        SELECT e.project_id, e.kpi_id, e.gender, e.month, count(f.month) AS kpi_rows
        FROM expected AS e
        LEFT JOIN fct AS f USING (project_id, kpi_id, gender, month)
        GROUP BY ALL ORDER BY ALL""", [list(GENDERS)])
    if frame.empty:
        return None
    exps = [expect("ExpectColumnValuesToBeBetween", CRITICAL,
                   "missing in an active project month", unit="KPI row",
                   column="kpi_rows", min_value=1)]
    return Target(suite, table, frame, exps,
                  label_columns=("project_id", "kpi_id", "gender", "month"))


# --- fct_participation_steps -------------------------------------------------------------

def participation_steps(con) -> Target | None:
    table = f"{SCHEMA}.fct_participation_steps"
    if not table_exists(con, SCHEMA, "fct_participation_steps"):
        return None
    columns = columns_of(con, SCHEMA, "fct_participation_steps")
    frame = read_frame(con, f"SELECT * FROM {table}")
    key = ["person_key", "project_id"]
    exps = [expect("ExpectTableColumnsToMatchSet", CRITICAL, "contract columns missing",
                   column_set=key + ["inskriven_date"], exact_match=False)]
    exps += [expect("ExpectColumnValuesToNotBeNull", CRITICAL, f"with {c} empty", column=c)
             for c in key if c in columns]
    skipped = []
    if set(key) <= set(columns):
        exps.append(expect("ExpectCompoundColumnsToBeUnique", CRITICAL,
                           "sharing (person_key, project_id) with another row", column_list=key))
    else:
        skipped.append(Skipped("expect_compound_columns_to_be_unique", ", ".join(key),
                               CRITICAL, f"{table} lacks person_key or project_id"))
    steps = [f"{s}_date" for s in CHAIN_STEPS[1:] if f"{s}_date" in columns]
    if "inskriven_date" in columns and steps:
        exps += [expect("ExpectColumnPairValuesAToBeGreaterThanB", CRITICAL,
                        f"with {step} before inskriven_date", column_A=step,
                        column_B="inskriven_date", or_equal=True,
                        ignore_row_if="either_value_is_missing") for step in steps]
    else:
        skipped.append(Skipped("expect_column_pair_values_a_to_be_greater_than_b",
                               "<step>_date, inskriven_date", CRITICAL,
                               f"{table} lacks inskriven_date or every <step>_date column"))
    return Target(table, table, frame, exps, skipped,
                  label_columns=tuple(c for c in ("project_id", "person_key") if c in columns))


# --- fct_funnel_cohort -------------------------------------------------------------------

def funnel_cohort(con) -> Target | None:
    table = f"{SCHEMA}.fct_funnel_cohort"
    if not table_exists(con, SCHEMA, "fct_funnel_cohort"):
        return None
    columns = columns_of(con, SCHEMA, "fct_funnel_cohort")
    frame = read_frame(con, f"SELECT * FROM {table}")
    shares = [c for c, t in columns.items() if SHARE_COLUMN.match(c) and NUMERIC.match(t)]
    exps = [expect("ExpectColumnValuesToBeBetween", CRITICAL, f"with {c} outside [0, 1]",
                   column=c, min_value=0, max_value=1) for c in shares]
    skipped = [] if shares else [Skipped(
        "expect_column_values_to_be_between", None, CRITICAL,
        f"{table} has no conversion share column (numeric, named conversion*, *_share, *_rate)")]
    if {"reached_count", "cohort_size"} <= set(columns):
        exps.append(expect("ExpectColumnPairValuesAToBeGreaterThanB", CRITICAL,
                           "with reached_count above cohort_size", column_A="cohort_size",
                           column_B="reached_count", or_equal=True,
                           ignore_row_if="either_value_is_missing"))
    else:
        skipped.append(Skipped("expect_column_pair_values_a_to_be_greater_than_b",
                               "cohort_size, reached_count", CRITICAL,
                               f"{table} lacks cohort_size or reached_count"))
    labels = tuple(c for c in ("project_id", "intake_month", "gender", "step") if c in columns)
    return Target(table, table, frame, exps, skipped, label_columns=labels)


# --- fct_budget_monthly ------------------------------------------------------------------

def budget_monthly(con) -> Target | None:
    table = f"{SCHEMA}.fct_budget_monthly"
    if not table_exists(con, SCHEMA, "fct_budget_monthly"):
        return None
    columns = columns_of(con, SCHEMA, "fct_budget_monthly")
    exps = []
    if "elapsed_share" in columns:
        exps.append(expect("ExpectColumnValuesToBeBetween", CRITICAL,
                           "with elapsed_share outside [0, 1]", column="elapsed_share",
                           min_value=0, max_value=1))
    for c in ("budget_used_share", "esf_grant_used_share"):
        if c in columns:
            exps += [
                expect("ExpectColumnValuesToBeBetween", CRITICAL, f"with {c} below 0", column=c,
                       min_value=0),
                expect("ExpectColumnValuesToBeBetween", WARNING, f"with {c} above 1 (overspend)",
                       column=c, max_value=1),
            ]
    if not exps:
        return None
    frame = read_frame(con, f"SELECT * FROM {table}")
    return Target(table, table, frame, exps,
                  label_columns=tuple(c for c in ("project_id", "month") if c in columns))
