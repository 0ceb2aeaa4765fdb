"""Every figure as it was published (issue 11): the KPI archive over real refreshes, the
revisions a late file causes, and the files behind every figure, computed by hand.

The delivery is test_dbt_build's (ETST, August-October 2009: A a woman, B a man). The
refreshes, in order, on one warehouse:

1. the delivery: published; the archive holds its rows;
2. a late deregistration file (export date 2009-11-15): B deregistered to work on
   2009-09-15. T2's participants' numerator grows from September on: published, a second
   row set;
3. a deregistration of C, who is in no project: published, KPI rows unchanged, so only a
   reference to the second row set;
4. the same delivery again: nothing new, nothing published, the archive as it was;
5. one more file refreshed with another pseudonymisation key: the ingest stage fails,
   nothing published, the archive as it was.

By hand (T2 = pooled participants' rate / pooled comparison rate, projects.md; the
comparison group of test_dbt_build: women 40/4+0, 50/5+5, 50/2+0; men 60/5+1, 50/4+1,
50/3+0 registered / to work + studies, August to October):

* September, all: then 1/4 participants (A) against 25/200: ratio 2; now 2/4 (A, B):
  ratio 4. Men: then 0/2, ratio 0; now B 1/2 against 11/110: ratio 5.
* October, all: then 1/6 against 30/300: 5/3; now 2/6: 10/3. Men: then 0/3, ratio 0;
  now 1/3 against 14/160: (1/3) / 0.0875.
* Women's rows, August, and every other KPI are unchanged.
"""

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from rich.console import Console

import settings
from refresh import pipeline
from tests import attacker
from tests.conftest import AF_AVAKT, TEST_KEY, Delivery, app_as, pnr
from tests.dbt_project.test_dbt_build import B, write_delivery

pytestmark = pytest.mark.slow

C = pnr("19900101", "987")  # in no project
LATE = "af_avaktiveringar_20091115.csv"
T2 = "etst_transition_ratio"
# The files of the first delivery that feed T2 as of September (participants: AF's
# snapshot and Jobbtorg's; statuses and the comparison group of August and September;
# the deregistrations): by hand from write_delivery.
T2_SEPTEMBER_FILES = {"af_arbetssokande_20091031.csv", "stad_jobbtorg_deltagare_20091031.csv",
                      "af_manadsstatus_200908.csv", "af_manadsstatus_200909.csv",
                      "af_jamforelsegrupp_200908.csv", "af_jamforelsegrupp_200909.csv",
                      "af_avaktiveringar_20091031.csv"}


def refresh(exports: Path, warehouse: Path) -> tuple[int, str]:
    console = Console(record=True, width=200, force_terminal=False)
    status = pipeline.run(exports, warehouse, console)
    return status, console.export_text()


def serving_rows(warehouse: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(settings.serving(warehouse)), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def archive_state(warehouse: Path) -> tuple[list, int]:
    publishes = serving_rows(warehouse, "SELECT publish_number, run_id, rows_run_id, "
                                        "through_load_id, kpi_rows FROM archive.kpi_publishes "
                                        "ORDER BY publish_number")
    rows = serving_rows(warehouse, "SELECT count(*) FROM archive.kpi_rows")[0][0]
    return publishes, rows


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """The warehouse after each refresh: what the archive and the history held."""
    root = tmp_path_factory.mktemp("archive")
    delivery = Delivery(root / "exports")
    write_delivery(delivery)
    warehouse = root / "wh" / "warehouse.duckdb"
    states = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KEDJAN_PSEUDONYM_KEY", TEST_KEY)
        status, output = refresh(delivery.folder, warehouse)
        assert status == 0, output
        states["first"] = archive_state(warehouse)
        shutil.copy(settings.serving(warehouse), root / "first.serving.duckdb")

        delivery.af(LATE, AF_AVAKT, [[B, "2009-09-15", "ARBETE_TV"]])
        status, output = refresh(delivery.folder, warehouse)
        assert status == 0, output
        states["late"] = archive_state(warehouse)
        shutil.copy(settings.serving(warehouse), root / "late.serving.duckdb")

        delivery.af("af_avaktiveringar_20091120.csv", AF_AVAKT, [[C, "2009-10-02", "OVRIG"]])
        status, output = refresh(delivery.folder, warehouse)
        assert status == 0, output
        states["same"] = archive_state(warehouse)

        status, output = refresh(delivery.folder, warehouse)
        assert status == 0 and "Nothing new" in output, output
        states["nothing_new"] = archive_state(warehouse)

        delivery.af("af_avaktiveringar_20091125.csv", AF_AVAKT, [[C, "2009-10-03", "OVRIG"]])
        patch.setenv("KEDJAN_PSEUDONYM_KEY", "another-key")
        status, output = refresh(delivery.folder, warehouse)
        assert status == 2, output
        states["failed"] = archive_state(warehouse)
    return warehouse, states, root


def test_archive_appends_one_row_set_per_publish_that_changed_a_figure(refreshed):
    warehouse, states, _ = refreshed
    history = serving_rows(warehouse, "SELECT run_id, result, failed_stage FROM "
                                      "ops.refresh_history ORDER BY started_at, run_id")
    assert [(r[1], r[2]) for r in history] == [
        ("published", None), ("published", None), ("published", None), ("unchanged", None),
        ("failed", "ingest")]
    runs = [r[0] for r in history]
    # ETST August-October: 6 KPIs x 3 months x 3 genders = 54 rows of each publish; the
    # rest are the rows of the projects without data (HEART, WLFS), as fct_kpi_monthly has.
    rows = serving_rows(warehouse, "SELECT count(*), count(*) FILTER (project_id = 'ETST') "
                                   "FROM marts.fct_kpi_monthly")[0]
    assert rows[1] == 54
    n = rows[0]
    # Load ids: the 13 files of the delivery, then one new file per publish.
    first, first_rows = states["first"]
    assert first == [(1, runs[0], runs[0], 13, n)] and first_rows == n
    late, late_rows = states["late"]
    assert late == [first[0], (2, runs[1], runs[1], 14, n)] and late_rows == 2 * n
    same, same_rows = states["same"]
    assert same == [*late, (3, runs[2], runs[1], 15, n)] and same_rows == 2 * n
    assert states["nothing_new"] == states["same"]
    assert states["failed"] == states["same"]


def test_archived_rows_are_the_published_rows(refreshed):
    _, _, root = refreshed
    for name, number in (("first", 1), ("late", 2)):
        with duckdb.connect(str(root / f"{name}.serving.duckdb"), read_only=True) as con:
            published = con.execute("SELECT * FROM marts.fct_kpi_monthly ORDER BY ALL").fetchall()
            archived = con.execute(
                "SELECT kpi_rows.* EXCLUDE (rows_run_id) FROM archive.kpi_rows "
                "INNER JOIN archive.kpi_publishes USING (rows_run_id) WHERE publish_number = ? "
                "ORDER BY ALL", [number]).fetchall()
        assert archived == published


SEPTEMBER, OCTOBER = pd.Timestamp("2009-09-01"), pd.Timestamp("2009-10-01")
# T2's revised rows by hand (module docstring): then and now numerator, denominator, value.
REVISED = {
    (SEPTEMBER, "all"): ((1, 4, 2.0), (2, 4, 4.0)),
    (SEPTEMBER, "M"): ((0, 2, 0.0), (1, 2, 5.0)),
    (OCTOBER, "all"): ((1, 6, 5 / 3), (2, 6, 10 / 3)),
    (OCTOBER, "M"): ((0, 3, 0.0), (1, 3, (1 / 3) / (14 / 160))),
}


@pytest.fixture
def dashboard_on(refreshed, monkeypatch):
    monkeypatch.setenv("WAREHOUSE", str(refreshed[0]))
    monkeypatch.setenv("KEDJAN_DEMO_MODE", "1")
    return refreshed[0]


def test_as_reported_then_as_known_now_and_the_revisions_by_hand(dashboard_on):
    from dashboard.queries import revisions

    then = revisions.reported_then("ETST")
    t2 = then[then["kpi_id"] == T2]
    # August to October were all first covered by publish 1: their report date.
    assert set(t2["publish_number"]) == {1}
    september = t2[(t2["month"] == SEPTEMBER) & (t2["gender"] == "all")].iloc[0]
    assert september["value"] == pytest.approx(2.0)
    now = serving_rows(dashboard_on, "SELECT value FROM marts.fct_kpi_monthly WHERE kpi_id = ? "
                                     "AND month = ? AND gender = 'all'", [T2, SEPTEMBER.date()])
    assert now[0][0] == pytest.approx(4.0)
    revised = revisions.revisions("ETST")
    got = {(row.kpi_id, pd.Timestamp(row.month), row.gender): row for row in revised.itertuples()}
    assert set(got) == {(T2, month, gender) for month, gender in REVISED}
    for (month, gender), (before, after) in REVISED.items():
        row = got[(T2, month, gender)]
        assert (row.then_numerator, row.then_denominator) == before[:2]
        assert (row.now_numerator, row.now_denominator) == after[:2]
        assert row.then_value == pytest.approx(before[2])
        assert row.now_value == pytest.approx(after[2])
        assert row.value_change == pytest.approx(after[2] - before[2])
        assert row.numerator_change == 1 and row.denominator_change == 0
        assert (row.publish_number, row.caused_by, row.code_or_config_changed) == (1, LATE, False)
    # Compared with a chosen publish: the first gives the same; the second (after the late
    # file) and the third (a reference to the second's rows) find nothing revised.
    assert len(revisions.revisions("ETST", 1)) == 4
    assert revisions.revisions("ETST", 2).empty and revisions.revisions("ETST", 3).empty


def test_provenance_lists_exactly_the_files_that_fed_a_figure(dashboard_on):
    from dashboard.queries import revisions, sql

    september = revisions.sources("ETST", T2, SEPTEMBER, "sv")
    assert set(september["file_name"]) == T2_SEPTEMBER_FILES | {LATE}
    # Of them, publish 1 (through load 13) had all but the late file.
    assert set(september[september["load_id"] <= 13]["file_name"]) == T2_SEPTEMBER_FILES
    assert set(september["role"]) >= {"jämförelsegrupp", "deltagare"}  # in the language asked
    # August: no deregistration yet (A's is dated 5 September, B's 15 September).
    assert set(revisions.sources("ETST", T2, "2009-08-01", "sv")["file_name"]) == {
        "af_arbetssokande_20091031.csv", "stad_jobbtorg_deltagare_20091031.csv",
        "af_manadsstatus_200908.csv", "af_jamforelsegrupp_200908.csv"}
    # T1 as of September: participants, statuses, deregistrations and assistance; no
    # comparison group.
    assert set(revisions.sources("ETST", "etst_self_supporting_18m", SEPTEMBER,
                                 "en")["file_name"]) == {
        "af_arbetssokande_20091031.csv", "stad_jobbtorg_deltagare_20091031.csv",
        "af_manadsstatus_200908.csv", "af_manadsstatus_200909.csv",
        "stad_ekonomiskt_bistand_200908.csv", "stad_ekonomiskt_bistand_200909.csv",
        "af_avaktiveringar_20091031.csv", LATE}
    # C is in no project: the file of C's deregistration fed nothing.
    assert serving_rows(dashboard_on, "SELECT count(*) FROM marts.fct_kpi_sources "
                                      "WHERE file_name = 'af_avaktiveringar_20091120.csv'") == [(0,)]
    # An analyst's SQL over the marts gives the same answer.
    result = sql.run("SELECT file_name FROM marts.fct_kpi_sources WHERE project_id = 'ETST' "
                     "AND kpi_id = 'etst_transition_ratio' AND month = DATE '2009-09-01'")
    assert set(result.frame["file_name"]) == T2_SEPTEMBER_FILES | {LATE}


def test_a_revision_reveals_no_hidden_count_to_the_steering_group(dashboard_on):
    from dashboard import views

    view = views.kpi_revisions("ETST", None, True)
    revised = view["revisions"]
    # Today's T2 numerators (2, 1, 2, 1 people) are <5, so no change may show: "moved by
    # 1" would give a hidden count back.
    assert list(revised["now_numerator"]) == ["<5"] * 4
    assert set(revised["numerator_change"]) == {".."}
    assert set(revised["value_change"]) == {".."}
    # Today's cells are marked as the KPI pages mark them; the reader's attack on what
    # the two show together pins no hidden count of 1-4 people.
    d = view.disclosure
    today = views.project_kpis("ETST", True).disclosure
    assert {k: m for k, m in d.marks.items() if k[0] != "then"} == today.marks
    small, leaks = attacker.audit(d.values, d.implicit - d.known, d.relations, d.marks)
    assert len(small) > 10 and leaks == []
    # Unprotected (a data steward), the same rows carry their numbers.
    plain = views.kpi_revisions("ETST", None, False)["revisions"]
    assert list(plain["numerator_change"]) == [1, 1, 1, 1]


def test_the_pages_show_then_now_the_revisions_and_the_sources(dashboard_on):
    def frames(app):
        return [df.value for df in app.dataframe]

    def with_column(app, column):
        found = [f for f in frames(app) if column in f.columns]
        assert found, [list(f.columns) for f in frames(app)]
        return found

    app = app_as("dataansvarig", "kpi.py")
    app.selectbox(key="kpi_choice").set_value(f"ETST:{T2}").run()
    assert not [f for f in frames(app) if "Som rapporterat då" in f.columns], "built while closed"
    app.session_state[f"fh-ETST-{T2}"] = True  # the reader opens the panel
    app.run()
    app.selectbox(key=f"fh-ETST-{T2}-month").set_value(SEPTEMBER).run()
    assert not app.exception, [e.value for e in app.exception]
    month = with_column(app, "Som rapporterat då")[0].set_index("Kön")
    # T2 is a ratio: two decimals, a decimal comma (dashboard.formats)
    assert month.loc["Alla", "Som rapporterat då"] == "2,00"
    assert month.loc["Alla", "Som känt nu"] == "4,00"
    assert month.loc["Kvinnor", "Reviderad"] == "nej" and month.loc["Män", "Reviderad"] == "ja"
    revisions = with_column(app, "Orsak: filer inlästa senare")[0]
    assert list(revisions["Orsak: filer inlästa senare"]) == [LATE] * 4
    files = with_column(app, "Fil")[0]
    assert set(files["Fil"]) == T2_SEPTEMBER_FILES | {LATE}
    assert dict(zip(files["Fil"], files["Med i publiceringen då"]))[LATE] == "nej"

    app = app_as("styrgrupp", "overview.py")
    app.session_state["fh-ETST-all"] = True
    app.run()
    revisions = with_column(app, "Orsak: filer inlästa senare")[0]
    assert len(revisions) == 4 and set(revisions["Ändring"].astype(str)) == {".."}
    assert set(revisions["Täljare nu"].astype(str)) == {"<5"}
