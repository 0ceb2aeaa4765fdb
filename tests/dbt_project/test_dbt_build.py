"""dbt build on a small hand-written delivery: the models run clean with every test, and
the KPIs equal what projects.md gives when computed by hand from the rows written here.

The delivery (ETST, August-October 2009):

  A, a woman, kortutbildad, residence permit 2008-03-15 (18-month mark: September 2009),
    registered at AF 2009-08-10 and at Jobbtorg 2009-08-12 (plan 2009-08-31, Skärholmen);
    unemployed at the end of August, deregistered to work 2009-09-05, registered again at
    the end of October; assistance 4 500 in August, 2 000 paid and corrected to net 0 in
    September.
  B, a man, no permit date, registered at AF 2009-08-20; unemployed in August, in a
    programme (68) in September and October; assistance 3 000 in August and September.
  The comparison group and the costs are below; the October assistance file has no rows.
"""

import hashlib
import hmac
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner

from ingest import load, personnummer, private
from refresh.dbt import warnings_of
from tests.conftest import (
    AF_AVAKT,
    AF_SOKANDE,
    AF_STATUS,
    EKONOMI,
    STAD_BISTAND,
    STAD_JOBBTORG,
    TEST_KEY,
    Delivery,
    pnr,
    query,
    run_ingest,
)

pytestmark = pytest.mark.slow

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
COMPARISON = ["manad", "kon", "inskrivna", "till_arbete", "till_utbildning"]

A = pnr("19850312", "224")  # a woman: second-to-last digit 4 is even
B = pnr("19791102", "131")  # a man


def write_delivery(delivery: Delivery) -> None:
    delivery.af("af_arbetssokande_20091031.csv", AF_SOKANDE, [
        [A, "2009-08-10", "2008-03-15", "ETST", "0180", "2"],
        [B, "2009-08-20", "", "ETST", "0180", "4"],
    ])
    delivery.af("af_manadsstatus_200908.csv", AF_STATUS, [
        [A, "2009-08", "11", ""], [B, "2009-08", "11", ""]])
    delivery.af("af_manadsstatus_200909.csv", AF_STATUS, [[B, "2009-09", "68", ""]])
    delivery.af("af_manadsstatus_200910.csv", AF_STATUS, [
        [A, "2009-10", "11", ""], [B, "2009-10", "68", ""]])
    delivery.af("af_avaktiveringar_20091031.csv", AF_AVAKT, [[A, "2009-09-05", "ARBETE_TB"]])
    for month, rows in (("200908", [["K", "40", "4", "0"], ["M", "60", "5", "1"]]),
                        ("200909", [["K", "50", "5", "5"], ["M", "50", "4", "1"]]),
                        ("200910", [["K", "50", "2", "0"], ["M", "50", "3", "0"]])):
        delivery.af(f"af_jamforelsegrupp_{month}.csv", COMPARISON,
                    [[f"{month[:4]}-{month[4:]}", *row] for row in rows])
    delivery.city("stad_jobbtorg_deltagare_20091031.csv", STAD_JOBBTORG, [
        [A, "2009-08-12", "", "Skärholmen", "ETST", "2009-08-31", "H1"]])
    delivery.city("stad_ekonomiskt_bistand_200908.csv", STAD_BISTAND, [
        [A, "2009-08", "4 500,00", "Skärholmen"], [B, "2009-08", "3000,00", "Rinkeby-Kista"]])
    delivery.city("stad_ekonomiskt_bistand_200909.csv", STAD_BISTAND, [
        [A, "2009-09", "2 000,00", "Skärholmen"], [A, "2009-09", "-2 000,00", "Skärholmen"],
        [B, "2009-09", "3000,00", "Rinkeby-Kista"]])
    delivery.city("stad_ekonomiskt_bistand_200910.csv", STAD_BISTAND, [])
    delivery.csv("ekonomi_utfall_20091031.csv", EKONOMI, [
        ["ETST", "2009-08", "personal", "1000000,00", "ESF"],
        ["ETST", "2009-09", "lokaler", "500000,00", "kommun"],
        ["ETST", "2009-10", "personal", "250000,00", "ESF"],
    ], encoding="utf-8")


def dbt(warehouse: Path, tmp: Path, *args: str):
    """Run dbt in-process on ``warehouse``; target and logs go to ``tmp``.

    dbt-duckdb keeps its DuckDB connection open after the run, which stops a read-only
    connection to the same file in this process: close it before returning.
    """
    previous = os.environ.get("DBT_DUCKDB_PATH")
    os.environ["DBT_DUCKDB_PATH"] = str(warehouse)
    try:
        return dbtRunner().invoke([
            *args, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
            "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs"), "--quiet",
        ])
    finally:
        if previous is None:
            os.environ.pop("DBT_DUCKDB_PATH", None)
        else:
            os.environ["DBT_DUCKDB_PATH"] = previous
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
        DuckDBConnectionManager.close_all_connections()


def failures(result) -> list[str]:
    return [f"{r.node.name}: {r.status} {r.message}" for r in (result.result or [])
            if str(r.status) not in ("success", "pass")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The delivery loaded into a warehouse and `dbt build` run on it once."""
    tmp = tmp_path_factory.mktemp("dbt")
    write_delivery(Delivery(tmp / "exports"))
    warehouse = tmp / "warehouse.duckdb"
    with private.folder(warehouse, "test") as folder:
        load.load_folder(tmp / "exports", warehouse, "test", TEST_KEY.encode(),
                         DBT_PROJECT.parent / "config" / "projects.yml", folder)
    result = dbt(warehouse, tmp, "build")
    return warehouse, tmp, result


def kpi(warehouse, kpi_id, month, gender="all"):
    rows = query(warehouse, """
        SELECT numerator, denominator, value, target, target_met, excluded_count
        FROM marts.fct_kpi_monthly
        WHERE project_id = 'ETST' AND kpi_id = ? AND month = ? AND gender = ?""",
                 [kpi_id, month, gender])
    assert len(rows) == 1, (kpi_id, month, gender, rows)
    return rows[0]


def test_dbt_build_runs_clean(built):
    _, _, result = built
    assert result.success, failures(result)
    assert failures(result) == []


def test_kpi_rows_cover_every_kpi_gender_and_month(built):
    warehouse, _, _ = built
    # ETST's data runs to October 2009 (status, comparison group, costs): August-October.
    rows = query(warehouse, """SELECT kpi_id, count(*), min(month), max(month)
                               FROM marts.fct_kpi_monthly WHERE project_id = 'ETST'
                               GROUP BY kpi_id ORDER BY kpi_id""")
    assert [r[0] for r in rows] == [
        "budget_burn", "etst_guide_matches", "etst_self_supporting_18m",
        "etst_short_educated_progress", "etst_subsidised_jobs", "etst_transition_ratio"]
    for _, count, first, last in rows:
        assert (count, str(first), str(last)) == (9, "2009-08-01", "2009-10-01")


def test_transition_ratio_by_hand(built):
    warehouse, _, _ = built
    # August: A and B have a status row, nobody moved on: 0 / 2.
    # September: A deregistered to work (A in both), B has a status row: 1 / 2.
    # October: A and B have status rows: 0 / 2.  Pooled to October: 1 / 6.
    # Comparison to October: (4+0+5+1) + (5+5+4+1) + (2+0+3+0) = 30 over 100 x 3 = 300.
    numerator, denominator, value, target, target_met, _ = kpi(
        warehouse, "etst_transition_ratio", "2009-10-01")
    assert (numerator, denominator) == (1, 6)
    assert value == pytest.approx((1 / 6) / (30 / 300))
    assert (target, target_met) == (1.5, True)
    # September, all: (1 / 4) / (25 / 200) = 2.
    assert kpi(warehouse, "etst_transition_ratio", "2009-09-01")[2] == pytest.approx(2.0)
    # September, women (A only): pooled 1 / 2 against (4 + 5 + 5) / (40 + 50) = 14 / 90.
    women = kpi(warehouse, "etst_transition_ratio", "2009-09-01", "K")
    assert (women[0], women[1]) == (1, 2)
    assert women[2] == pytest.approx(0.5 / (14 / 90))


def test_self_supporting_18_months_by_hand(built):
    warehouse, _, _ = built
    # A's 18-month mark is September 2009: employed (deregistered to work on the 5th, not
    # registered again before October) and the assistance paid was corrected to net 0.
    # B has no permit date and is not in the population.
    assert kpi(warehouse, "etst_self_supporting_18m", "2009-08-01")[:3] == (0, 0, None)
    assert kpi(warehouse, "etst_self_supporting_18m", "2009-09-01")[:3] == (1, 1, 1.0)
    assert kpi(warehouse, "etst_self_supporting_18m", "2009-10-01", "M")[:3] == (0, 0, None)


def test_counts_budget_and_part_year_target_by_hand(built):
    warehouse, _, _ = built
    # No guide matches; the 2009 target is 400 x 5 project months (Aug-Dec) / 12.
    numerator, denominator, value, target, _, _ = kpi(warehouse, "etst_guide_matches", "2009-10-01")
    assert (numerator, denominator, value) == (0, None, 0)
    assert target == pytest.approx(400 * 5 / 12)
    assert kpi(warehouse, "etst_subsidised_jobs", "2009-10-01")[:4] == (0, None, 0, 60)
    # Costs to October: 1 000 000 + 500 000 + 250 000 of the 80 237 075 budget.
    numerator, denominator, value, *_ = kpi(warehouse, "budget_burn", "2009-10-01")
    assert (numerator, denominator) == (1_750_000, 80_237_075)
    assert value == pytest.approx(1_750_000 / 80_237_075)


def test_kpi_status_by_hand(built):
    """fct_kpi_status on the small delivery, as of October 2009 (ETST ends January 2014)."""
    warehouse, _, _ = built
    rows = {kpi_id: rest for kpi_id, *rest in query(warehouse, """
        SELECT kpi_id, value, judged_value, pace, forecast_value, forecast_month, status,
               missing_sources
        FROM marts.fct_kpi_status
        WHERE project_id = 'ETST' AND month = '2009-10-01' AND gender = 'all'""")}
    # T2, a ratio, keeps its latest value (1/6) / (30/300) = 1.67 >= 1.5: on track.
    value, _, pace, forecast, month, status, missing = rows["etst_transition_ratio"]
    assert value == pytest.approx((1 / 6) / (30 / 300))
    assert (pace, forecast, str(month), status, missing) == (None, value, "2014-01-01",
                                                            "on_track", None)
    # T3, a level of 0 in August, September and October: pace 0, forecast 0 < 0.9 x 60.
    value, judged, pace, forecast, month, status, missing = rows["etst_subsidised_jobs"]
    assert (value, judged, pace, forecast, str(month), status, missing) == (
        0, 0, 0, 0, "2014-01-01", "behind", None)
    # No profession-guide file, no SFI or OCN file: no data delivered, not 0 (the monthly
    # view still counts 0 guide matches, test_counts_budget_and_part_year_target_by_hand).
    assert rows["etst_guide_matches"] == [None, None, None, None, None, "no_data",
                                          "partner_yrkesguider"]
    assert rows["etst_short_educated_progress"][5:] == ["no_data",
                                                        "partner_ocn_intyg, stad_sfi_resultat"]


def test_participation_steps_by_hand(built):
    warehouse, _, _ = built
    rows = query(warehouse, """
        SELECT gender, inskriven_date, plan_date, insats_date, arbetsgivarkontakt_date,
               anstalld_date, sjalvforsorjande_date, education_group, district
        FROM marts.fct_participation_steps WHERE project_id = 'ETST' ORDER BY gender""")
    rows = [tuple(str(v) if v is not None else None for v in row) for row in rows]
    assert rows == [
        # A: AF registration (10 Aug) before Jobbtorg's (12 Aug); plan 31 Aug; hired on
        # 5 Sep without an activity; self-supporting in September (its last day).
        ("K", "2009-08-10", "2009-08-31", None, None, "2009-09-05", "2009-09-30",
         "ISCED 0-2", "Skärholmen"),
        # B: in a programme at the end of September.
        ("M", "2009-08-20", None, "2009-09-30", None, None, None, "ISCED 5-8",
         "Rinkeby-Kista"),
    ]
    funnel = query(warehouse, """
        SELECT step, reached_count, skipped_count FROM marts.fct_funnel_cohort
        WHERE project_id = 'ETST' AND gender = 'K' ORDER BY step_order""")
    # A's hire and self-support came without an activity or employer contact: skipped.
    assert funnel == [("inskriven", 1, 0), ("plan", 1, 0), ("insats", 0, 0),
                      ("arbetsgivarkontakt", 0, 0), ("anstalld", 1, 1),
                      ("sjalvforsorjande", 1, 1)]


def test_funnel_marts_by_hand(built):
    """The Kedjan page's marts on A and B (one cell each, read as of October 2009, the
    reporting month and the latest data: one reading). A: entered 10 Aug 2009, born
    12 Mar 1985: 24, under 25; B: entered 20 Aug 2009, born 2 Nov 1979: 29 (2009 - 1979
    would say 30), 25-54; the ESF report groups them alike."""
    warehouse, _, _ = built
    rows = query(warehouse, """
        SELECT gender, district, education_group, age_group, step, cohort_size, reached_count,
               previous_step_reached_count, reached_with_previous_count, dropped_off_count,
               skipped_count
        FROM marts.fct_funnel_steps
        WHERE project_id = 'ETST' AND reading = 'as_of' AND reading_month = '2009-10-01'
          AND intake_month = '2009-08-01'
        ORDER BY gender, step_order""")
    a = ("K", "Skärholmen", "ISCED 0-2", "under 25")
    b = ("M", "Rinkeby-Kista", "ISCED 5-8", "25-54")
    assert rows == [
        # A: plan, then hired and self-supporting without an activity or employer contact.
        (*a, "inskriven", 1, 1, None, None, None, 0),
        (*a, "plan", 1, 1, 1, 1, 0, 0),
        (*a, "insats", 1, 0, 1, 0, 1, 0),
        (*a, "arbetsgivarkontakt", 1, 0, 0, 0, 0, 0),
        (*a, "anstalld", 1, 1, 0, 0, 0, 1),
        (*a, "sjalvforsorjande", 1, 1, 1, 1, 0, 1),
        # B: in a programme (insats) without a plan.
        (*b, "inskriven", 1, 1, None, None, None, 0),
        (*b, "plan", 1, 0, 1, 0, 1, 0),
        (*b, "insats", 1, 1, 0, 0, 0, 1),
        (*b, "arbetsgivarkontakt", 1, 0, 1, 0, 1, 0),
        (*b, "anstalld", 1, 0, 0, 0, 0, 0),
        (*b, "sjalvforsorjande", 1, 0, 0, 0, 0, 0),
    ]
    assert query(warehouse, "SELECT DISTINCT reading FROM marts.fct_funnel_steps") == [("as_of",)]
    # The heatmap's cells: A hired and self-supporting in September (k = 1); intake
    # August + 3 months is after October: open.
    heat = query(warehouse, """
        SELECT months_since_intake, sum(cohort_size), sum(employed_count),
               sum(self_supporting_count), bool_and(is_follow_up_open), count(*)
        FROM marts.fct_funnel_cohort_months
        WHERE project_id = 'ETST' AND reading = 'as_of' AND months_since_intake <= 3
        GROUP BY ALL ORDER BY 1""")
    assert heat == [(0, 2, 0, 0, False, 2), (1, 2, 1, 1, False, 2), (2, 2, 1, 1, False, 2),
                    (3, 2, 1, 1, True, 2)]
    assert query(warehouse, "SELECT max(months_since_intake), count(*) FROM "
                            "marts.fct_funnel_cohort_months") == [(60, 2 * 61)]
    people = query(warehouse, """
        SELECT gender, age_group, inskriven_date::VARCHAR, plan_date::VARCHAR,
               insats_date::VARCHAR, anstalld_date::VARCHAR, sjalvforsorjande_date::VARCHAR
        FROM marts.fct_funnel_participants WHERE project_id = 'ETST' ORDER BY gender""")
    assert people == [("K", "under 25", "2009-08-10", "2009-08-31", None, "2009-09-05",
                       "2009-09-30"),
                      ("M", "25-54", "2009-08-20", None, "2009-09-30", None, None)]
    esf = query(warehouse, """
        SELECT gender, aged_under_25, aged_25_54, aged_over_54 FROM marts.fct_esf_indicators
        WHERE project_id = 'ETST' AND reporting_period = '2009' ORDER BY gender""")
    assert esf == [("K", 1, 0, 0), ("M", 0, 1, 0), ("all", 1, 1, 0)]


def test_new_month_is_appended_without_rebuilding_history(built, tmp_path):
    warehouse, _, first = built
    assert first.success
    incremental = tmp_path / "incremental.duckdb"
    shutil.copyfile(warehouse, incremental)
    november = Delivery(tmp_path / "november")
    november.af("af_manadsstatus_200911.csv", AF_STATUS, [[A, "2009-11", "11", ""]])
    november.af("af_jamforelsegrupp_200911.csv", COMPARISON, [["2009-11", "K", "50", "1", "0"]])
    november.city("stad_ekonomiskt_bistand_200911.csv", STAD_BISTAND, [
        [A, "2009-11", "1000,00", "Skärholmen"]])
    status, _ = run_ingest(november.folder, incremental)
    assert status == 0
    timeline = "intermediate.int_person_months_tracked"
    before = query(incremental, f"SELECT max(built_through_load_id) FROM {timeline}")[0][0]

    result = dbt(incremental, tmp_path, "build")
    assert result.success, failures(result)
    # Only November was built by this run; the earlier months are the rows of the first build.
    rebuilt = query(incremental, f"""SELECT DISTINCT month FROM {timeline}
                                     WHERE built_through_load_id > ? ORDER BY month""", [before])
    assert [str(m) for (m,) in rebuilt] == ["2009-11-01"]

    full = tmp_path / "full.duckdb"
    shutil.copyfile(incremental, full)
    assert dbt(full, tmp_path, "run", "--full-refresh", "--select",
               "int_person_months_tracked").success
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{incremental}' AS inc (READ_ONLY)")
        con.execute(f"ATTACH '{full}' AS ful (READ_ONLY)")
        columns = "* EXCLUDE (built_through_load_id)"
        difference = con.execute(f"""
            SELECT count(*) FROM (
                (SELECT {columns} FROM inc.{timeline} EXCEPT SELECT {columns} FROM ful.{timeline})
                UNION ALL
                (SELECT {columns} FROM ful.{timeline} EXCEPT SELECT {columns} FROM inc.{timeline}))
        """).fetchone()[0]
    assert difference == 0


# --- the same delivery with two pseudonymisation keys ----------------------------------

KEYS = ("first pseudonymisation key", "second pseudonymisation key")
# Entry Hub visitor ids that carry two personnummer, a woman's (K) on the earliest visit
# and a man's (M) on the next, and report a hire on a visit without one: the hire is the
# woman's (projects.md), whichever key sorts first.
CONFLICTS = [(pnr(f"1980010{i}", f"2{i}2"), pnr(f"1981020{i}", f"3{i}1")) for i in range(1, 7)]
ENTRY_HUB = ["datum", "besokar_id", "personnummer", "kon", "aktivitet", "arbetsgivare", "ort"]


def key_of(key: str, twelve: str) -> str:
    return hmac.new(key.encode(), twelve.encode(), hashlib.sha256).hexdigest()


def write_disagreements(delivery: Delivery) -> None:
    """Rows where the data disagrees with itself, added to a generated delivery."""
    rows = []
    for i, (woman, man) in enumerate(CONFLICTS):
        rows += [["2018-08-01", f"EHC{i}", woman, "", "vagledning", "", "Umeå"],
                 ["2018-08-02", f"EHC{i}", man, "", "vagledning", "", "Umeå"],
                 ["2018-08-03", f"EHC{i}", "", "", "anstallning", "Testbolaget AB", "Umeå"]]
    # Two kon on one day: the later row of the file wins.
    rows += [["2018-08-05", "EHT1", "", "K", "natverkstraff", "", "Göteborg"],
             ["2018-08-05", "EHT1", "", "M", "natverkstraff", "", "Göteborg"]]
    delivery.csv("partner_entryhub_besok_20180901.csv", ENTRY_HUB, rows, encoding="utf-8",
                 delimiter=",")
    # Two registrations on one day in one snapshot: the later row gives the education.
    person = pnr("19850505", "456")
    delivery.af("af_arbetssokande_20180901.csv", AF_SOKANDE, [
        [person, "2017-02-01", "2016-10-01", "SAMS", "0180", "1"],
        [person, "2017-02-01", "2016-11-01", "SAMS", "0180", "4"],
    ])


def build_with_key(root: Path, key: str, monkeypatch) -> Path:
    from ingest.generate import generate

    exports = root / "exports"
    generate(scale="demo", seed=3, out=exports, participants=150)
    write_disagreements(Delivery(exports))
    warehouse = root / "warehouse.duckdb"
    monkeypatch.setenv("KEDJAN_PSEUDONYM_KEY", key)
    with private.folder(warehouse, "test") as folder:
        load.load_folder(exports, warehouse, "test", personnummer.pseudonym_key(),
                         DBT_PROJECT.parent / "config" / "projects.yml", folder)
    # The unit tests do not depend on the delivery: test_dbt_build_runs_clean runs them.
    result = dbt(warehouse, root, "build", "--exclude", "test_type:unit")
    assert result.success, failures(result)
    return warehouse


def marts_without_keys(warehouse: Path) -> dict[str, list[tuple]]:
    """Every mart's rows, person_key and load times left out, sorted by all columns; floats rounded
    (a sum's last bits may depend on the order rows are added in)."""
    out = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' "
                             "ORDER BY table_name").fetchall()
        for (table,) in tables:
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'marts' "
                "AND table_name = ? ORDER BY column_index", [table]).fetchall()]
            # Load times differ between the two builds; they are not the key's doing.
            kept = ", ".join(f'"{c}"' for c in columns if c not in ("person_key", "loaded_at"))
            rows = con.execute(f"SELECT {kept} FROM marts.{table} ORDER BY ALL").fetchall()
            out[table] = [tuple(round(v, 9) if isinstance(v, float) else v for v in row)
                          for row in rows]
    return out


def test_two_pseudonymisation_keys_give_the_same_marts(tmp_path, monkeypatch):
    # The test has teeth: for some conflicting visitor the two keys sort the woman's and
    # the man's person_key in opposite orders, so min(person_key) would differ.
    flips = [(key_of(KEYS[0], woman) < key_of(KEYS[0], man))
             != (key_of(KEYS[1], woman) < key_of(KEYS[1], man)) for woman, man in CONFLICTS]
    assert any(flips)
    first = build_with_key(tmp_path / "first", KEYS[0], monkeypatch)
    second = build_with_key(tmp_path / "second", KEYS[1], monkeypatch)

    keys = [query(w, "SELECT person_key FROM marts.dim_person ORDER BY ALL") for w in (first, second)]
    assert len(keys[0]) == len(keys[1]) and not set(keys[0]) & set(keys[1])
    one, other = marts_without_keys(first), marts_without_keys(second)
    assert one.keys() == other.keys()
    for table in one:
        assert one[table] == other[table], table
    # The rules themselves, on the rows written above, with either key.
    snapshot_person = pnr("19850505", "456")
    for warehouse, key in ((first, KEYS[0]), (second, KEYS[1])):
        last_month = "(SELECT max(month) FROM intermediate.int_entry_hub_visits_identified)"
        linked = query(warehouse, f"""
            SELECT visitor_id, visitor_key FROM intermediate.int_entry_hub_visits_identified
            WHERE visitor_id LIKE 'EHC%' AND person_key IS NULL AND month = {last_month}
            ORDER BY visitor_id""")
        assert linked == [(f"EHC{i}", key_of(key, woman)) for i, (woman, _) in enumerate(CONFLICTS)]
        assert query(warehouse, f"""
            SELECT gender FROM intermediate.int_entry_hub_visitors_identified
            WHERE visitor_key = 'besokar_id:EHT1' AND month = {last_month}""") == [("M",)]
        assert query(warehouse, """
            SELECT count(*) FROM intermediate.int_entry_hub_visitor_conflicts_listed
            WHERE visitor_id LIKE 'EHC%' AND personnummer_count = 2""") == [(len(CONFLICTS),)]
        assert query(warehouse, "SELECT education_level FROM marts.dim_person WHERE person_key = ?",
                     [key_of(key, snapshot_person)]) == [("4",)]


# The mart checks dbt makes (and the gate no longer does): one tampered copy, one dbt run.
MART_CHECKS = {  # singular test -> (status on the tampered copy, rows it finds)
    "assert_kpi_shares_between_0_and_1": ("fail", 1),
    "assert_kpi_numerator_not_above_denominator": ("fail", 1),
    "assert_budget_burn_not_above_1": ("warn", 1),
    "assert_funnel_conversions_between_0_and_1": ("fail", 1),
    "assert_funnel_steps_add_up": ("fail", 1),
    "assert_budget_shares_not_below_0": ("fail", 1),
    "assert_budget_shares_not_above_1": ("warn", 1),
}


def test_timeline_grain_check_finds_a_repeated_row_of_the_last_run(built, tmp_path):
    """The monthly timeline's grain is checked on the rows of its last run (the
    incremental model's own argument: unique_combination_of_columns, built_by_column)."""
    warehouse, _, first = built
    assert first.success
    tampered = tmp_path / "tampered.duckdb"
    shutil.copyfile(warehouse, tampered)
    with duckdb.connect(str(tampered)) as con:
        con.execute("INSERT INTO intermediate.int_person_months_tracked "
                    "SELECT * FROM intermediate.int_person_months_tracked LIMIT 1")
    result = dbt(tampered, tmp_path, "test", "--select",
                 "int_person_months_tracked,test_name:unique_combination_of_columns")
    assert not result.success
    assert [(str(r.status), r.failures) for r in result.result] == [("fail", 1)]


def test_mart_checks_fail_or_warn_on_tampered_marts(built, tmp_path):
    warehouse, _, first = built
    assert first.success
    tampered = tmp_path / "tampered.duckdb"
    shutil.copyfile(warehouse, tampered)

    def one_row(table, where):  # a rowid: every tampering touches exactly one row
        (rowid,), = query(tampered, f"SELECT min(rowid) FROM marts.{table} WHERE {where}")
        assert rowid is not None, (table, where)
        return rowid

    kpi_share = one_row("fct_kpi_monthly", "unit = 'share' AND kpi_id <> 'budget_burn' "
                                           "AND value IS NOT NULL")
    kpi_rate = one_row("fct_kpi_monthly", "kpi_id <> 'budget_burn' AND denominator > 0 "
                                          f"AND rowid <> {kpi_share}")
    burn = one_row("fct_kpi_monthly", "kpi_id = 'budget_burn' AND value IS NOT NULL")
    funnel = one_row("fct_funnel_cohort", "conversion_from_start IS NOT NULL")
    steps = one_row("fct_funnel_steps", "step = 'anstalld'")
    elapsed = one_row("fct_budget_monthly", "elapsed_share IS NOT NULL")
    used = one_row("fct_budget_monthly", f"budget_used_share IS NOT NULL AND rowid <> {elapsed}")
    with duckdb.connect(str(tampered)) as con:
        con.execute(f"""
            UPDATE marts.fct_kpi_monthly SET value = 1.2 WHERE rowid = {kpi_share};
            UPDATE marts.fct_kpi_monthly SET numerator = denominator + 1 WHERE rowid = {kpi_rate};
            -- an overspend: cost 10 % above the budget
            UPDATE marts.fct_kpi_monthly SET value = 1.1, numerator = 1.1 * denominator
                WHERE rowid = {burn};
            UPDATE marts.fct_funnel_cohort SET conversion_from_start = 1.5 WHERE rowid = {funnel};
            -- a page cell that no longer adds up to the published funnel
            UPDATE marts.fct_funnel_steps SET skipped_count = skipped_count + 1
                WHERE rowid = {steps};
            UPDATE marts.fct_budget_monthly SET elapsed_share = 1.2 WHERE rowid = {elapsed};
            UPDATE marts.fct_budget_monthly SET budget_used_share = 1.3 WHERE rowid = {used};""")

    result = dbt(tampered, tmp_path, "test", "--select", *MART_CHECKS)
    assert not result.success  # an error-severity test failed
    found = {r.node.name: (str(r.status), r.failures) for r in result.result}
    assert found == MART_CHECKS
    # The refresh reports the warnings (refresh.dbt reads dbt's run_results.json).
    run = json.loads((tmp_path / "target" / "run_results.json").read_text())
    assert sorted(w.split(":")[0] for w in warnings_of(run["results"])) == [
        "dbt test assert_budget_burn_not_above_1", "dbt test assert_budget_shares_not_above_1"]
