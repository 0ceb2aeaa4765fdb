"""The Great Expectations gate (expectations/): real DuckDB files, real ingest, real GX.

Raw tables are written by ingest itself from small deliveries (tests/conftest.py's
``Delivery``). The gate validates per-file profiles, samples and the load log; the marts
are dbt's to test (tests/dbt_project/test_dbt_build.py runs those tests on tampered marts).
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
            load.load_files(con, load.delivery_files(folder), run_id, {"ETST", "EHUB"}, TODAY)
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


def sql(warehouse, statements: str) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute(statements)


@pytest.fixture
def warehouse(tmp_path):
    """A clean warehouse: raw from a real ingest of a small delivery."""
    path = tmp_path / "wh" / "warehouse.duckdb"
    ingest(clean_delivery(tmp_path / "clean").folder, path)
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
    assert suites == {f"raw.{t}{part}" for t in ("af_arbetssokande", "af_manadsstatus",
                                                   "af_avaktiveringar")
                      for part in ("", ".structure")} | {"raw.load_log"}
    # Tables without rows (kinds not delivered) are not validated; marts are dbt's; months
    # are checked against raw.config_projects, which a bare ingest does not write.
    assert {c.severity for c in result.checks} == {"critical", "warning"}
    profile = [c for c in result.checks if c.suite == "raw.af_avaktiveringar"]
    assert {c.column for c in profile} >= {"avaktiveringsdatum", "orsak", "person_key",
                                           "birth_year", "_export_date"}
    assert {(c.unexpected_count, c.details) for c in profile} == {(0, "ok")}


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
        "raw.af_avaktiveringar", "avaktiveringsdatum", "critical", 1)
    assert check.details == ("af_avaktiveringar_20120331.csv: 1 row with avaktiveringsdatum "
                             "after the export date (e.g. row 3: 2012-04-02)")
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
    assert (check.table, check.column, check.severity, check.unexpected_count) == (
        "raw.partner_matchning", "Slutdatum", "warning", 1)
    assert check.details == ("partner_matchning_20120331.xlsx: 1 row with Slutdatum after the "
                             "export date (e.g. row 4: 2012-05-31)")


def test_dates_before_1900_are_critical_before_2000_a_warning(tmp_path, warehouse):
    d = Delivery(tmp_path / "old")
    d.af("af_avaktiveringar_20120331.csv", AF_AVAKT, [
        [PEOPLE[2], "1011-03-05", "ARBETE_TB"],  # a typo for 2011
        [PEOPLE[3], "1999-04-02", "OVRIG"],
    ])
    result = run(tmp_path, warehouse, ingest(d.folder, warehouse))
    assert not result.passed
    found = {(c.table, c.column, c.severity, c.unexpected_count, c.details)
             for c in failed(result)}
    assert found == {
        ("raw.af_avaktiveringar", "avaktiveringsdatum", "critical", 1,
         ("af_avaktiveringar_20120331.csv: 1 row with avaktiveringsdatum before 1900-01-01 "
          "(e.g. row 2: 1011-03-05)")),
        ("raw.af_avaktiveringar", "avaktiveringsdatum", "warning", 2,
         ("af_avaktiveringar_20120331.csv: 2 rows with avaktiveringsdatum before 2000-01-01 "
          "(e.g. row 2: 1011-03-05, row 3: 1999-04-02)")),
    }


def test_a_raw_column_missing_is_critical_and_its_checks_are_not_evaluated(tmp_path,
                                                                          warehouse):
    sql(warehouse, "ALTER TABLE raw.af_manadsstatus DROP COLUMN sokandekategori")
    result = run(tmp_path, warehouse)
    assert not result.passed
    missing, *unevaluated = failed(result)
    assert (missing.suite, missing.expectation, missing.column, missing.severity) == (
        "raw.af_manadsstatus.structure", "expect_table_columns_to_match_set", None, "critical")
    assert missing.details == "required columns missing: sokandekategori"
    # The checks on the missing column cannot run: they fail, they are not skipped.
    assert [(c.suite, c.column, c.severity, c.unexpected_count, c.details)
            for c in unevaluated] == [
        ("raw.af_manadsstatus", "sokandekategori", "warning", None,
         ("could not be evaluated (with sokandekategori empty (at most 5 % allowed)): "
          "column sokandekategori is missing")),
        ("raw.af_manadsstatus", "sokandekategori", "critical", None,
         ("could not be evaluated (with sokandekategori not in 11, 12, 21, 22, 41, 68, 69, 98): "
          "column sokandekategori is missing"))]
    assert not any(c.skipped for c in result.checks)


def test_a_date_column_of_type_varchar_fails_on_the_sample_and_its_checks_are_not_evaluated(
        tmp_path, warehouse):
    sql(warehouse, "ALTER TABLE raw.af_avaktiveringar ALTER avaktiveringsdatum TYPE VARCHAR")
    result = run(tmp_path, warehouse)
    assert not result.passed
    typed, *dependent = failed(result)
    assert (typed.suite, typed.expectation, typed.column, typed.severity) == (
        "raw.af_avaktiveringar.structure", "expect_column_values_to_be_of_type",
        "avaktiveringsdatum", "critical")
    assert typed.details == ("column avaktiveringsdatum is not of type datetime64 (DATE) "
                             "(found str)")
    # The date checks need a DATE: they fail as not evaluated (no crash, not skipped).
    assert [(c.suite, c.column, c.severity, c.unexpected_count, c.details)
            for c in dependent] == [
        ("raw.af_avaktiveringar", "avaktiveringsdatum", severity, None,
         (f"could not be evaluated (with avaktiveringsdatum {problem}): "
          "column avaktiveringsdatum is VARCHAR, not DATE"))
        for severity, problem in (("critical", "before 1900-01-01"),
                                  ("warning", "before 2000-01-01"),
                                  ("critical", "after the export date"))]
    # What does not need the type still runs: the share of empty values.
    (empty,) = [c for c in result.checks if c.suite == "raw.af_avaktiveringar"
                and c.column == "avaktiveringsdatum" and c.success]
    assert empty.details == "ok" and empty.unexpected_count == 0


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
    assert (check.table, check.column, check.severity, check.unexpected_count) == (
        "raw.af_manadsstatus", "sokandekategori", "critical", 1)
    assert check.details == ("af_manadsstatus_201202.csv: 1 row with sokandekategori not in "
                             "11, 12, 21, 22, 41, 68, 69, 98 (e.g. row 2: 'XX')")


def test_a_duplicate_current_key_warns_naming_the_file(tmp_path, warehouse):
    # The February status file holds one person twice for the month.
    sql(warehouse, """UPDATE raw.af_manadsstatus SET person_key = (
                          SELECT person_key FROM raw.af_manadsstatus
                          WHERE manad = '2012-02' AND _row_number = 2)
                      WHERE manad = '2012-02' AND _row_number = 5""")
    result = run(tmp_path, warehouse)
    assert result.passed
    check = only_failure(result)
    assert (check.table, check.column, check.severity, check.unexpected_count) == (
        "raw.af_manadsstatus", "person_key, manad", "warning", 2)
    assert check.details == ("af_manadsstatus_201202.csv: 2 rows sharing (person_key, manad) "
                             "with another current row (e.g. row 2: '2012-02', "
                             "row 5: '2012-02')")


def test_empty_values_above_five_percent_of_a_file_warn_with_the_share(tmp_path, warehouse):
    sql(warehouse, """UPDATE raw.af_arbetssokande SET af_kontor = NULL
                      WHERE _row_number IN (4, 7)""")
    check = only_failure(run(tmp_path, warehouse))
    assert (check.table, check.column, check.severity, check.unexpected_count) == (
        "raw.af_arbetssokande", "af_kontor", "warning", 2)
    assert check.details == ("af_arbetssokande_20120131.csv: 2 of 10 rows (20 %) with "
                             "af_kontor empty (at most 5 % allowed) (e.g. row 4, row 7)")


def test_failing_rows_in_several_files_are_counted_per_file(tmp_path, warehouse):
    sql(warehouse, "UPDATE raw.af_manadsstatus SET sokandekategori = 'XX' "
                   "WHERE _row_number IN (3, 4) OR (manad = '2012-01' AND _row_number = 6)")
    check = only_failure(run(tmp_path, warehouse))
    assert (check.column, check.unexpected_count) == ("sokandekategori", 5)
    assert check.details == (
        "5 rows in 2 files with sokandekategori not in 11, 12, 21, 22, 41, 68, 69, 98: "
        "af_manadsstatus_201201.csv: 3 rows (e.g. row 3: 'XX', row 4: 'XX', row 6: 'XX'); "
        "af_manadsstatus_201202.csv: 2 rows (e.g. row 3: 'XX', row 4: 'XX')")


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
    assert (check.table, check.column, check.unexpected_count) == (
        "raw.af_avaktiveringar", "avaktiveringsdatum", 1)
    assert check.details.startswith("af_avaktiveringar_20120331.csv: 1 row with")


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
    assert config.count("raw.af_manadsstatus:\n") == 1  # one asset, not one per run
    # A changed warehouse (a column gone) still validates with the same context.
    sql(warehouse, "ALTER TABLE raw.af_manadsstatus DROP COLUMN anstallningsstod")
    third = run(tmp_path, warehouse)
    assert not third.passed
    assert {c.suite for c in failed(third)} == {"raw.af_manadsstatus.structure",
                                                "raw.af_manadsstatus"}


def test_data_docs_are_a_static_folder_with_an_index(tmp_path, warehouse):
    result = run(tmp_path, warehouse)
    index = tmp_path / "docs" / "index.html"
    assert result.data_docs == str(index.resolve())
    assert index.is_file()
    html = index.read_text()
    assert "raw.af_manadsstatus" in html and "raw.af_manadsstatus.structure" in html
    assert (tmp_path / "docs" / "static").is_dir()
    pages = list((tmp_path / "docs" / "validations").rglob("*.html"))
    assert len(pages) == len({c.suite for c in result.checks if not c.skipped})
    # A later run replaces the folder: the new run's pages are there, nothing half built.
    run(tmp_path, warehouse)
    assert len(list((tmp_path / "docs" / "validations").rglob("*.html"))) == 2 * len(pages)
    assert not any(p.name.startswith(".docs") for p in tmp_path.iterdir())


def test_result_as_json_for_the_refresh_history(tmp_path, warehouse):
    sql(warehouse, "UPDATE raw.af_avaktiveringar SET orsak = 'PENSION' WHERE _row_number = 2")
    result = run(tmp_path, warehouse)
    data = json.loads(result.to_json())
    assert data["passed"] is False
    assert data["summary"]["failed_critical"] == 1
    (row,) = [c for c in data["checks"] if c["status"] == "failed"]
    assert (row["column"], row["severity"], row["unexpected_count"]) == ("orsak", "critical", 1)
    assert "af_avaktiveringar_20120229.csv" in row["details"] and "row 2" in row["details"]
    assert set(row) >= {"suite", "table", "expectation", "column", "severity", "success",
                        "unexpected_count", "details"}
    assert GateResult.from_json(result.to_json()) == result
