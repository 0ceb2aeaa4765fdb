"""Every figure as it was published: the KPI archive against today's figures, and the
files behind every figure. The one place that holds the revision rule; pages lay out.

* **As reported then.** A month's *report date* is its first publish: the first publish
  whose KPI rows cover that month for the project (the data reached that month), as kept
  in the archive (archive.kpi_publishes, archive.kpi_rows, written by refresh/archive.py).
  "As reported then" is that publish's rows for the month, or those of a publish the user
  chose (``basis``: its publish_number).
* **As known now** is marts.fct_kpi_monthly of the serving file.
* **A revision** is a KPI row (KPI, month, gender) whose numerator, denominator, value or
  people left out (excluded_count) differ between then and now (to
  ``settings.FIGURE_DECIMALS`` decimals), or that exists on one side only. Its *causes*
  are the files that feed the figure now (marts.fct_kpi_sources) and were loaded after
  the publish it is compared with (load_id above that publish's through_load_id); a
  revision with no such file came from a change of config or code (the fingerprints
  of the two publishes, ops.refresh_history, differ).
* **Provenance**: the files that fed a figure, from marts.fct_kpi_sources; those of them
  loaded by a publish (load_id up to its through_load_id) were in it (a file since
  superseded is not listed).

For the steering group these frames go through dashboard.views.kpi_revisions (the same
small-count protection as today's figures).
"""

import pandas as pd

import settings
from dashboard.queries import query

COMPARED = ("numerator", "denominator", "value", "excluded_count")


def has_archive() -> bool:
    found = query("SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = 'archive' "
                  "AND table_name IN ('kpi_publishes', 'kpi_rows')")
    return found is not None and int(found["n"].iloc[0]) == 2


def publishes() -> pd.DataFrame | None:
    """Every publish kept in the archive, the first first."""
    if not has_archive():
        return None
    return query("""
        SELECT publish_number, run_id, published_at, rows_run_id, through_load_id, kpi_rows
        FROM archive.kpi_publishes ORDER BY publish_number""")


# The KPI rows of one project as reported then: each month's rows from its first publish
# (basis NULL) or from publish number ``basis``, with that publish.
THEN = """
    WITH published AS (
        SELECT publishes.publish_number, publishes.run_id, publishes.published_at,
               publishes.through_load_id, kpi_rows.*
        FROM archive.kpi_publishes AS publishes
        INNER JOIN archive.kpi_rows AS kpi_rows ON kpi_rows.rows_run_id = publishes.rows_run_id
        WHERE kpi_rows.project_id = $1
    ),
    report AS (
        SELECT month, min(publish_number) AS publish_number FROM published GROUP BY month
    )
    SELECT published.* EXCLUDE (rows_run_id)
    FROM published
    WHERE CASE WHEN $2 IS NULL
               THEN (month, publish_number) IN (SELECT (month, publish_number) FROM report)
               ELSE publish_number = $2 END
"""


def reported_then(project_id: str, basis: int | None = None) -> pd.DataFrame | None:
    """The project's KPI rows as reported then (see the module's docstring)."""
    if not has_archive():
        return None
    return query(f"SELECT * FROM ({THEN}) ORDER BY kpi_id, month, gender",
                 (project_id, basis))


def _differs(column: str) -> str:
    places = settings.FIGURE_DECIMALS
    return (f"round(then_rows.{column}::DOUBLE, {places}) "
            f"IS DISTINCT FROM round(now_rows.{column}::DOUBLE, {places})")


def revisions(project_id: str, basis: int | None = None) -> pd.DataFrame | None:
    """Every revised KPI row of the project: then and now side by side, the changes and the
    files that caused them (names, loaded after the publish compared with)."""
    if not has_archive():
        return None
    then_columns = ", ".join(f"then_rows.{c} AS then_{c}" for c in COMPARED)
    now_columns = ", ".join(f"now_rows.{c} AS now_{c}" for c in COMPARED)
    return query(f"""
        WITH then_rows AS ({THEN}),
        now_rows AS (SELECT * FROM marts.fct_kpi_monthly WHERE project_id = $1),
        compared AS (
            SELECT coalesce(now_rows.kpi_id, then_rows.kpi_id) AS kpi_id,
                   coalesce(now_rows.month, then_rows.month) AS month,
                   coalesce(now_rows.gender, then_rows.gender) AS gender,
                   coalesce(now_rows.unit, then_rows.unit) AS unit,
                   then_rows.publish_number, then_rows.run_id, then_rows.published_at,
                   then_rows.through_load_id, {then_columns}, {now_columns}
            FROM then_rows
            FULL OUTER JOIN now_rows
                ON now_rows.kpi_id = then_rows.kpi_id AND now_rows.month = then_rows.month
                AND now_rows.gender = then_rows.gender
            WHERE {' OR '.join(_differs(c) for c in COMPARED)}
        ),
        -- A month that no publish covered yet has no "then": it is new, not revised.
        revised AS (SELECT * FROM compared WHERE publish_number IS NOT NULL),
        causes AS (
            SELECT revised.kpi_id, revised.month,
                   string_agg(DISTINCT sources.file_name, ', ' ORDER BY sources.file_name)
                       AS caused_by
            FROM (SELECT DISTINCT kpi_id, month, through_load_id FROM revised) AS revised
            INNER JOIN marts.fct_kpi_sources AS sources
                ON sources.project_id = $1 AND sources.kpi_id = revised.kpi_id
                AND sources.month = revised.month AND sources.load_id > revised.through_load_id
            GROUP BY revised.kpi_id, revised.month
        ),
        fingerprints AS (
            SELECT run_id, fingerprint FROM ops.refresh_history WHERE result = 'published'
        )
        SELECT revised.*,
               revised.now_value - revised.then_value AS value_change,
               revised.now_numerator - revised.then_numerator AS numerator_change,
               revised.now_denominator - revised.then_denominator AS denominator_change,
               causes.caused_by,
               then_print.fingerprint IS DISTINCT FROM (
                   SELECT fingerprint FROM ops.refresh_history WHERE result = 'published'
                   ORDER BY finished_at DESC LIMIT 1) AS code_or_config_changed
        FROM revised
        LEFT JOIN causes ON causes.kpi_id = revised.kpi_id AND causes.month = revised.month
        LEFT JOIN fingerprints AS then_print ON then_print.run_id = revised.run_id
        ORDER BY revised.kpi_id, revised.month,
                 CASE revised.gender WHEN 'all' THEN 0 WHEN 'K' THEN 1 ELSE 2 END""",
                 (project_id, basis))


def sources(project_id: str, kpi_id: str, month, lang: str) -> pd.DataFrame | None:
    """The files that fed a KPI's figures of a month (every gender's), as known now; what
    the KPI takes from each in language ``lang``."""
    return query(f"""
        SELECT file_name, file_kind, role_{"en" if lang == "en" else "sv"} AS role, export_date,
               loaded_at, load_id
        FROM marts.fct_kpi_sources
        WHERE project_id = ? AND kpi_id = ? AND month = ?
        ORDER BY export_date, file_name""", (project_id, kpi_id, pd.Timestamp(month).date()))
