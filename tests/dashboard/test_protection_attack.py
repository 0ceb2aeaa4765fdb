"""The attacker's test (issue: protection that holds against a determined reader).

For every view the steering group gets (dashboard.views: each project's KPIs with its
own tables and as reported then, each ESF project's indicators, each project's chain with all its splits and
its heatmap), on warehouses generated with many small cells, the reader's
knowledge is written as a linear system: the shown cells, the declared relations, every
count a whole number of at least 0, ``<5`` meaning 1 to 4. For every hidden count of 1
to 4 people, linear programming (tests/attacker.py, SciPy's HiGHS) finds the smallest
and largest value the system allows; one pinned to a single value, or a cell marked
``..`` pinned to within 1 to 4, is a leak.
"""

import pytest
from rich.console import Console

from tests import attacker
from tests.conftest import TEST_KEY

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_cells_warehouse(tmp_path_factory):
    """A second published warehouse, smaller (150 participants) and of another seed."""
    from ingest.generate import generate
    from refresh import pipeline

    root = tmp_path_factory.mktemp("small-cells")
    generate(scale="demo", seed=11, out=root / "exports", participants=150)
    warehouse = root / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KEDJAN_PSEUDONYM_KEY", TEST_KEY)
        console = Console(record=True, width=200, force_terminal=False)
        assert pipeline.run(root / "exports", warehouse, console) in (0, 1), console.export_text()
    return warehouse


def audited_views():
    """Every protected view of the published warehouse (WAREHOUSE), with its name."""
    from dashboard import views
    from dashboard.queries import esf, funnel

    found = []
    for project_id in ("ETST", "HEART", "EHUB", "SAMS"):
        found.append((f"kpis {project_id}", views.project_kpis(project_id, True)))
        # The figures as reported then, protected together with today's.
        found.append((f"as reported then {project_id}", views.kpi_revisions(project_id, None, True)))
    for project_id in esf.esf_projects()["project_id"]:
        found.append((f"esf {project_id}", views.esf_indicators(project_id, True)))
    projects = funnel.projects_with_participants()
    for project_id in projects[projects["participants"] > 0]["project_id"]:
        # The one selection the page gives the steering group (dashboard/app_pages/funnel.py).
        selection = funnel.whole_project(project_id)
        if selection is not None:
            found.append((f"chain {project_id}", views.chain(selection, None, "quarter", 24, True)))
    return [(name, view) for name, view in found if view.disclosure is not None]


@pytest.mark.parametrize("which", ["demo", "small_cells"])
def test_no_hidden_count_of_one_to_four_can_be_recovered(which, request, monkeypatch):
    warehouse = request.getfixturevalue("demo_warehouse" if which == "demo"
                                        else "small_cells_warehouse")
    monkeypatch.setenv("WAREHOUSE", str(warehouse))
    checked = {"views": 0, "cells": 0, "hidden": 0, "intervals": 0}
    found = []
    for name, view in audited_views():
        d = view.disclosure
        unknown = d.implicit - d.known
        small, leaks = attacker.audit(d.values, unknown, d.relations, d.marks)
        checked["views"] += 1
        checked["cells"] += len(d.values)
        checked["hidden"] += len(set(d.marks) | unknown)
        checked["intervals"] += len(small)
        found += [(name, leak) for leak in leaks]
    print(f"\n{which}: {checked['views']} views, {checked['cells']} cells, {checked['hidden']} "
          f"hidden, {checked['intervals']} intervals of hidden counts of 1-4 people checked")
    assert checked["views"] >= 7 and checked["intervals"] > 100
    assert found == []
