"""The Great Expectations gate (expectations/): real DuckDB files, real ingest, real GX.

Raw tables are written by ingest itself from small deliveries (tests/conftest.py's
``Delivery``); the marts are created with SQL that follows their public contract
(fct_kpi_monthly, dim_kpi, dim_project, fct_participation_steps, fct_funnel_cohort).
"""

import datetime
import json
import uuid

import duckdb
import pytest

from expectations import raw as raw_suites
from expectations.gate import GateResult, validate
from ingest import load, personnummer, private
from tests.conftest import AF_AVAKT, AF_SOKANDE, AF_STATUS, MATCHNING, Delivery, orgnr, pnr

PEOPLE = [pnr(f"1980{m:02d}15", f"{100 + m}") for m in range(1, 11)]  # ten people
TODAY = datetime.date(2013, 1, 15)


# --- building warehouses -------------------------------------------------------------------

def ingest(folder, warehouse) -> list[int]:
    """Load a delivery folder with the real ingest; the load ids it wrote."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    run_id = uuid.uuid4().hex
    with private.folder(warehouse, run_id) as spill:
        con = load.connect(warehouse, personnummer.pseudonym_key(), spill)
        try:
            for path in load.delivery_files(folder):
                load.load_file(con, path, run_id, {"ETST", "EHUB"}, TODAY)
            ids = con.execute("SELECT load_id FROM wh.raw.load_log WHERE run_id = ? ORDER BY 1",
                              [run_id]).fetchall()
        finally:
            con.close()
    return [i for (i,) in ids]


def status_rows(month: str, people) -> list[list[str]]:
    return [[p, month, "11", ""] for p in people]


def clean_delivery(folder) -> Delivery:
    d = Delivery(folder)
    d.af("af_arbetssokande_20120131.csv", AF_SOKANDE,
         [[p, "2011-10-03", "2011-06-01", "ETST", "0180", "3"] for p in PEOPLE])
    d.af("af_manadsstatus_201201.csv", AF_STATUS, status_rows("2012-01", PEOPLE))
    d.af("af_manadsstatus_201202.csv", AF_STATUS, status_rows("2012-02", PEOPLE))
    d.af("af_avaktiveringar_20120229.csv", AF_AVAKT,
         [[PEOPLE[0], "2012-02-10", "ARBETE_TV"], [PEOPLE[1], "2012-02-20", "UTBILDNING"]])
    return d


MARTS_SQL = """
CREATE SCHEMA IF NOT EXISTS marts;
CREATE OR REPLACE TABLE marts.dim_project AS
    SELECT * FROM (VALUES ('ETST', DATE '2012-01-01', DATE '2012-06-30'),
                          ('EHUB', DATE '2012-03-05', NULL::DATE))
           AS t(project_id, start_date, end_date);
CREATE OR REPLACE TABLE marts.dim_kpi AS
    SELECT * FROM (VALUES ('etst_self_supporting_18m', 'ETST', 'share'),
                          ('etst_transition_ratio', 'ETST', 'ratio'),
                          ('etst_guide_matches', 'ETST', 'count'),
                          ('budget_burn', NULL, 'share'),
                          ('ehub_hires', 'EHUB', 'count'))
           AS t(kpi_id, project_id, unit);
CREATE OR REPLACE TABLE marts.fct_kpi_monthly AS
    SELECT k.project_id, k.kpi_id, CAST(s.m AS DATE) AS month, g.gender,
           CAST(k.numerator AS DOUBLE) AS numerator,
           CAST(k.denominator AS DOUBLE) AS denominator,
           CAST(k.value AS DOUBLE) AS value, CAST(NULL AS DOUBLE) AS target,
           CAST(NULL AS BOOLEAN) AS target_met
    FROM (VALUES ('ETST', 'etst_self_supporting_18m', DATE '2012-01-01', DATE '2012-06-01', 3, 10, 0.3),
                 ('ETST', 'etst_transition_ratio', DATE '2012-01-01', DATE '2012-06-01', 4, 8, 1.6),
                 ('ETST', 'etst_guide_matches', DATE '2012-01-01', DATE '2012-06-01', 120, NULL, 120),
                 ('ETST', 'budget_burn', DATE '2012-01-01', DATE '2012-06-01', 50, 100, 0.5),
                 ('EHUB', 'ehub_hires', DATE '2012-03-01', DATE '2012-08-01', 12, NULL, 12))
         AS k(project_id, kpi_id, first_month, last_month, numerator, denominator, value),
         generate_series(k.first_month, k.last_month, INTERVAL 1 MONTH) AS s(m),
         (VALUES ('all'), ('K'), ('M')) AS g(gender);
CREATE OR REPLACE TABLE marts.fct_participation_steps AS
    SELECT * FROM (VALUES
        ('p1', 'ETST', DATE '2011-10-03', DATE '2011-11-01', DATE '2011-12-31', NULL::DATE),
        ('p2', 'ETST', DATE '2011-10-03', NULL::DATE, DATE '2012-01-31', DATE '2012-02-10'),
        ('p1', 'EHUB', DATE '2012-04-01', NULL::DATE, NULL::DATE, DATE '2012-05-02'))
    AS t(person_key, project_id, inskriven_date, plan_date, insats_date, anstalld_date);
CREATE OR REPLACE TABLE marts.fct_funnel_cohort AS
    SELECT * FROM (VALUES
        ('ETST', DATE '2011-10-01', 'plan', 2, 1, 0.5, 0.5),
        ('ETST', DATE '2011-10-01', 'insats', 2, 2, 1.0, 1.0))
    AS t(project_id, intake_month, step, cohort_size, reached_count, conversion_from_start,
         conversion_from_previous);
"""


def sql(warehouse, statements: str) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute(statements)


@pytest.fixture
def warehouse(tmp_path):
    """A clean warehouse: raw from a real ingest of a small delivery, marts by SQL."""
    path = tmp_path / "wh" / "warehouse.duckdb"
    ingest(clean_delivery(tmp_path / "clean").folder, path)
    sql(path, MARTS_SQL)
    return path


def run(tmp_path, warehouse, load_ids=None) -> GateResult:
    return validate(warehouse, tmp_path / "gx", tmp_path / "docs", load_ids, progress=False)


def failed(result: GateResult, severity=None):
    return [c for c in result.checks if not c.success
            and (severity is None or c.severity == severity)]


def only_failure(result: GateResult):
    (check,) = failed(result)
    return check


# --- a clean warehouse ---------------------------------------------------------------------

def test_clean_warehouse_passes_with_no_failed_check(tmp_path, warehouse):
    result = run(tmp_path, warehouse)
    assert result.passed
    assert failed(result) == []
    assert [c for c in result.checks if c.skipped] == []
    suites = {c.suite for c in result.checks}
    assert {"raw.af_arbetssokande", "raw.af_manadsstatus", "raw.af_avaktiveringar",
            "raw.load_log", "marts.fct_kpi_monthly", "marts.fct_kpi_monthly.coverage",
            "marts.fct_participation_steps", "marts.fct_funnel_cohort"} <= suites
    # Tables without rows (kinds not delivered) are not validated.
    assert "raw.stad_ekonomiskt_bistand" not in suites
    assert {c.severity for c in result.checks} == {"critical", "warning"}
    coverage = [c for c in result.checks if c.suite == "marts.fct_kpi_monthly.coverage"]
    assert coverage[0].details == "ok"


# --- the marts -------------------------------------------------------------------------------

def test_a_share_kpi_of_1_2_fails_critically(tmp_path, warehouse):
    sql(warehouse, """
        UPDATE marts.fct_kpi_monthly SET value = 1.2
        WHERE kpi_id = 'etst_self_supporting_18m' AND month = '2012-03-01' AND gender = 'K';
        -- a count and a ratio above 1 are fine
        UPDATE marts.fct_kpi_monthly SET value = 12 WHERE kpi_id = 'etst_guide_matches';""")
    result = run(tmp_path, warehouse)
    assert not result.passed
    check = only_failure(result)
    assert (check.table, check.expectation, check.column, check.severity) == (
        "marts.fct_kpi_monthly", "expect_column_values_to_be_between", "value", "critical")
    assert check.unexpected_count == 1
    assert "ETST etst_self_supporting_18m 2012-03-01 K" in check.details
    assert "1.20" in check.details


def test_numerator_above_denominator_fails(tmp_path, warehouse):
    sql(warehouse, """UPDATE marts.fct_kpi_monthly SET numerator = 9
                      WHERE kpi_id = 'etst_transition_ratio' AND month = '2012-02-01'
                        AND gender = 'all'""")
    result = run(tmp_path, warehouse)
    assert not result.passed
    check = only_failure(result)
    assert (check.expectation, check.column, check.severity, check.unexpected_count) == (
        "expect_column_pair_values_a_to_be_greater_than_b", "denominator, numerator",
        "critical", 1)
    assert "numerator above denominator" in check.details


def test_a_duplicate_kpi_key_fails(tmp_path, warehouse):
    sql(warehouse, """INSERT INTO marts.fct_kpi_monthly
                      SELECT * FROM marts.fct_kpi_monthly
                      WHERE kpi_id = 'ehub_hires' AND month = '2012-05-01' AND gender = 'M'""")
    result = run(tmp_path, warehouse)
    assert not result.passed
    check = only_failure(result)
    assert (check.expectation, check.column, check.severity) == (
        "expect_compound_columns_to_be_unique", "project_id, kpi_id, month, gender", "critical")
    assert check.unexpected_count == 2  # both copies


def test_a_missing_project_month_fails(tmp_path, warehouse):
    sql(warehouse, "DELETE FROM marts.fct_kpi_monthly "
                   "WHERE project_id = 'ETST' AND month = '2012-03-01'")
    result = run(tmp_path, warehouse)
    assert not result.passed
    check = only_failure(result)
    assert (check.suite, check.table, check.severity) == (
        "marts.fct_kpi_monthly.coverage", "marts.fct_kpi_monthly", "critical")
    assert check.unexpected_count == 4 * 3  # four ETST KPIs, three genders
    assert "12 KPI rows missing in an active project month" in check.details
    assert "ETST" in check.details and "2012-03-01" in check.details


def test_a_missing_gender_row_and_the_months_up_to_the_end_date_are_required(tmp_path,
                                                                           warehouse):
    # ETST ends 2012-06: the last month must be there, also for one gender.
    sql(warehouse, """DELETE FROM marts.fct_kpi_monthly WHERE kpi_id = 'etst_guide_matches'
                      AND month = '2012-06-01' AND gender = 'M'""")
    check = only_failure(run(tmp_path, warehouse))
    assert check.suite == "marts.fct_kpi_monthly.coverage" and check.unexpected_count == 1
    assert "ETST etst_guide_matches M 2012-06-01" in check.details


def test_budget_burn_above_one_is_an_overspend_warning_not_a_block(tmp_path, warehouse):
    sql(warehouse, """UPDATE marts.fct_kpi_monthly SET value = 1.1, numerator = 110
                      WHERE kpi_id = 'budget_burn' AND month = '2012-06-01'""")
    result = run(tmp_path, warehouse)
    assert result.passed
    warnings = failed(result, "warning")
    assert len(warnings) == 2 and failed(result, "critical") == []
    assert all("overspend" in c.details and c.unexpected_count == 3 for c in warnings)


def test_without_dim_kpi_the_share_check_is_skipped_not_failed(tmp_path, warehouse):
    sql(warehouse, """DROP TABLE marts.dim_kpi;
                      UPDATE marts.fct_kpi_monthly SET value = 1.2
                      WHERE kpi_id = 'etst_self_supporting_18m'""")
    result = run(tmp_path, warehouse)
    assert result.passed
    (skipped,) = [c for c in result.checks if c.skipped]
    assert skipped.success and skipped.status == "skipped"
    assert (skipped.table, skipped.column) == ("marts.fct_kpi_monthly", "value")
    assert "marts.dim_kpi does not exist" in skipped.details


def test_participation_steps_one_row_per_person_and_no_step_before_intake(tmp_path,
                                                                          warehouse):
    sql(warehouse, """
        INSERT INTO marts.fct_participation_steps VALUES
            ('p2', 'ETST', DATE '2011-10-03', NULL, NULL, NULL);
        UPDATE marts.fct_participation_steps SET plan_date = DATE '2011-09-30'
        WHERE person_key = 'p1' AND project_id = 'ETST';""")
    result = run(tmp_path, warehouse)
    assert not result.passed
    found = {(c.expectation, c.column, c.unexpected_count) for c in failed(result, "critical")}
    assert found == {
        ("expect_compound_columns_to_be_unique", "person_key, project_id", 2),
        ("expect_column_pair_values_a_to_be_greater_than_b", "plan_date, inskriven_date", 1),
    }


def test_a_funnel_conversion_above_one_fails(tmp_path, warehouse):
    sql(warehouse, """UPDATE marts.fct_funnel_cohort SET conversion_from_previous = 1.5
                      WHERE step = 'insats'""")
    check = only_failure(run(tmp_path, warehouse))
    assert (check.table, check.column, check.severity) == (
        "marts.fct_funnel_cohort", "conversion_from_previous", "critical")


def test_without_marts_only_raw_is_validated(tmp_path):
    path = tmp_path / "wh.duckdb"
    ingest(clean_delivery(tmp_path / "d").folder, path)
    result = run(tmp_path, path)
    assert result.passed and failed(result) == []
    assert {c.table.split(".")[0] for c in result.checks} == {"raw"}


# --- raw: volume and dates -------------------------------------------------------------------

def test_a_monthly_file_40_percent_smaller_warns_but_passes(tmp_path, warehouse):
    d = Delivery(tmp_path / "march")
    d.af("af_manadsstatus_201203.csv", AF_STATUS, status_rows("2012-03", PEOPLE[:6]))
    load_ids = ingest(d.folder, warehouse)
    result = run(tmp_path, warehouse, load_ids)
    assert result.passed
    check = only_failure(result)
    assert (check.table, check.column, check.severity, check.unexpected_count) == (
        "raw.load_log", "rows_vs_previous", "warning", 1)
    assert ("af_manadsstatus_201203.csv: 6 rows, 40 % fewer than af_manadsstatus_201202.csv "
            "(10)") in check.details


def test_a_monthly_file_25_percent_smaller_is_fine(tmp_path, warehouse):
    d = Delivery(tmp_path / "march")
    d.af("af_manadsstatus_201203.csv", AF_STATUS, status_rows("2012-03", PEOPLE[:8]))
    result = run(tmp_path, warehouse, ingest(d.folder, warehouse))
    assert result.passed and failed(result) == []


def test_a_date_after_the_export_date_is_critical(tmp_path, warehouse):
    d = Delivery(tmp_path / "future")
    d.af("af_avaktiveringar_20120331.csv", AF_AVAKT, [
        [PEOPLE[2], "2012-03-05", "ARBETE_TB"],
        [PEOPLE[3], "2012-04-02", "OVRIG"],  # after the export date 2012-03-31
    ])
    load_ids = ingest(d.folder, warehouse)
    result = run(tmp_path, warehouse, load_ids)
    assert not result.passed
    check = only_failure(result)
    assert (check.table, check.column, check.severity, check.unexpected_count) == (
        "raw.af_avaktiveringar", "_export_date, avaktiveringsdatum", "critical", 1)
    assert "after the export date" in check.details
    assert "af_avaktiveringar_20120331.csv row 3" in check.details
    # The severity is the one documented in expectations/raw.py.
    assert "avaktiveringsdatum" not in raw_suites.PLANNED_END_DATES


def test_a_planned_end_date_after_the_export_date_is_a_warning(tmp_path, warehouse):
    d = Delivery(tmp_path / "partner")
    d.xlsx("partner_matchning_20120331.xlsx", {"Sheet1": (MATCHNING, [
        [PEOPLE[0], "ETST", orgnr("556677889"), "Firma AB", "Praktik",
         datetime.date(2012, 3, 1), datetime.date(2012, 5, 31), "G"],
    ])})
    result = run(tmp_path, warehouse, ingest(d.folder, warehouse))
    assert result.passed
    check = only_failure(result)
    assert (check.table, check.column, check.severity) == (
        "raw.partner_matchning", "_export_date, Slutdatum", "warning")


def test_dates_before_1900_are_critical_before_2000_a_warning(tmp_path, warehouse):
    d = Delivery(tmp_path / "old")
    d.af("af_avaktiveringar_20120331.csv", AF_AVAKT, [
        [PEOPLE[2], "1011-03-05", "ARBETE_TB"],  # a typo for 2011
        [PEOPLE[3], "1999-04-02", "OVRIG"],
    ])
    result = run(tmp_path, warehouse, ingest(d.folder, warehouse))
    assert not result.passed
    found = {(c.severity, c.unexpected_count, c.details.split(" (e.g.")[0])
             for c in failed(result)}
    assert found == {
        ("critical", 1, "1 row with avaktiveringsdatum before 1900-01-01: 1011-03-05"),
        ("warning", 2, "2 rows with avaktiveringsdatum before 2000-01-01: 1011-03-05, "
                       "1999-04-02"),
    }


def test_a_raw_column_missing_or_of_another_type_is_critical(tmp_path, warehouse):
    sql(warehouse, """ALTER TABLE raw.af_manadsstatus DROP COLUMN sokandekategori;
                      ALTER TABLE raw.af_avaktiveringar ALTER avaktiveringsdatum TYPE VARCHAR""")
    result = run(tmp_path, warehouse)
    assert not result.passed
    by_check = {(c.table, c.expectation, c.column): c for c in failed(result)}
    missing = by_check[("raw.af_manadsstatus", "expect_table_columns_to_match_set", None)]
    assert missing.severity == "critical"
    assert missing.details == "required columns missing: sokandekategori"
    typed = by_check[("raw.af_avaktiveringar", "expect_column_values_to_be_of_type",
                      "avaktiveringsdatum")]
    assert typed.severity == "critical" and "found str" in typed.details
    # The checks on the missing column cannot run: they fail, they are not skipped.
    code = by_check[("raw.af_manadsstatus", "expect_column_values_to_be_in_set",
                     "sokandekategori")]
    assert code.details.startswith("could not be evaluated")
    assert {c.table for c in failed(result)} == {"raw.af_manadsstatus", "raw.af_avaktiveringar"}


def test_code_sets_are_checked_on_current_rows_only(tmp_path, warehouse):
    # Two rows of February get codes outside the set; one of them was superseded.
    sql(warehouse, """
        UPDATE raw.af_manadsstatus SET sokandekategori = 'XX'
        WHERE manad = '2012-02' AND _row_number IN (2, 3);
        UPDATE raw.af_manadsstatus SET _is_current = false
        WHERE manad = '2012-02' AND _row_number = 3;""")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        every_load = [i for (i,) in con.execute("SELECT load_id FROM raw.load_log").fetchall()]
    check = only_failure(run(tmp_path, warehouse, every_load))
    assert (check.column, check.severity, check.unexpected_count) == (
        "sokandekategori", "critical", 1)
    assert "'XX'" in check.details and "af_manadsstatus_201202.csv row 2" in check.details


def test_load_ids_limit_the_raw_rows_to_the_current_refresh(tmp_path, warehouse):
    d = Delivery(tmp_path / "future")
    d.af("af_avaktiveringar_20120331.csv", AF_AVAKT, [[PEOPLE[3], "2012-04-02", "OVRIG"]])
    ingest(d.folder, warehouse)  # an earlier refresh let this row in
    later = Delivery(tmp_path / "later")
    later.af("af_manadsstatus_201203.csv", AF_STATUS, status_rows("2012-03", PEOPLE))
    load_ids = ingest(later.folder, warehouse)
    assert run(tmp_path, warehouse, load_ids).passed  # only March's status rows
    everything = run(tmp_path, warehouse)  # every current row
    assert not everything.passed
    (check,) = failed(everything, "critical")
    assert check.table == "raw.af_avaktiveringar"


def test_quarantined_rows_above_a_tenth_of_a_file_warn(tmp_path, warehouse):
    d = Delivery(tmp_path / "bad")
    d.af("af_manadsstatus_201203.csv", AF_STATUS,
         status_rows("2012-03", PEOPLE[:8]) + [[p, "2012-03", "77", ""] for p in PEOPLE[8:]])
    result = run(tmp_path, warehouse, ingest(d.folder, warehouse))
    assert result.passed
    check = only_failure(result)
    assert (check.column, check.severity) == ("quarantined_share", "warning")
    assert "af_manadsstatus_201203.csv: 10 rows" in check.details
    assert "2 quarantined" in check.details


# --- the context, Data Docs and the result -------------------------------------------------

def context_files(context_dir):
    gx_dir = context_dir / "gx"
    return sorted(str(p.relative_to(gx_dir)) for folder in
                  ("expectations", "checkpoints", "validation_definitions")
                  for p in (gx_dir / folder).rglob("*.json"))


def test_validating_twice_with_the_same_context_neither_fails_nor_duplicates(tmp_path,
                                                                            warehouse):
    first = run(tmp_path, warehouse)
    files = context_files(tmp_path / "gx")
    config = (tmp_path / "gx" / "gx" / "great_expectations.yml").read_text()
    second = run(tmp_path, warehouse)
    assert first.passed and second.passed
    assert [(c.suite, c.expectation, c.column, c.severity, c.success) for c in first.checks] \
        == [(c.suite, c.expectation, c.column, c.severity, c.success) for c in second.checks]
    assert context_files(tmp_path / "gx") == files
    assert (tmp_path / "gx" / "gx" / "great_expectations.yml").read_text() == config
    suite = json.loads((tmp_path / "gx" / "gx" / "expectations" / "raw" / "af_manadsstatus.json")
                       .read_text())
    n = len([c for c in first.checks if c.suite == "raw.af_manadsstatus"])
    assert len(suite["expectations"]) == n
    assert config.count("raw.af_manadsstatus") == 1  # one asset, not one per run
    # A changed warehouse (a mart gone) still validates with the same context.
    sql(warehouse, "DROP TABLE marts.fct_funnel_cohort")
    third = run(tmp_path, warehouse)
    assert third.passed and "marts.fct_funnel_cohort" not in {c.suite for c in third.checks}


def test_data_docs_are_a_static_folder_with_an_index(tmp_path, warehouse):
    result = run(tmp_path, warehouse)
    index = tmp_path / "docs" / "index.html"
    assert result.data_docs == str(index.resolve())
    assert index.is_file()
    html = index.read_text()
    assert "raw.af_manadsstatus" in html and "marts.fct_kpi_monthly" in html
    assert (tmp_path / "docs" / "static").is_dir()
    pages = list((tmp_path / "docs" / "validations").rglob("*.html"))
    assert len(pages) == len({c.suite for c in result.checks if not c.skipped})
    # A later run replaces the folder: the new run's pages are there, nothing half built.
    run(tmp_path, warehouse)
    assert len(list((tmp_path / "docs" / "validations").rglob("*.html"))) == 2 * len(pages)
    assert not any(p.name.startswith(".docs") for p in tmp_path.iterdir())


def test_result_as_json_for_the_refresh_history(tmp_path, warehouse):
    sql(warehouse, "UPDATE marts.fct_funnel_cohort SET conversion_from_start = -0.1")
    result = run(tmp_path, warehouse)
    data = json.loads(result.to_json())
    assert data["passed"] is False
    assert data["summary"]["failed_critical"] == 1
    (row,) = [c for c in data["checks"] if c["status"] == "failed"]
    assert row["column"] == "conversion_from_start" and row["severity"] == "critical"
    assert set(row) >= {"suite", "table", "expectation", "column", "severity", "success",
                        "unexpected_count", "details"}
    assert GateResult.from_json(result.to_json()) == result
