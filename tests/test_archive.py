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
import pytest
from rich.console import Console

import settings
from refresh import pipeline
from tests.conftest import AF_AVAKT, TEST_KEY, Delivery, pnr
from tests.test_dbt_build import B, write_delivery

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
