"""The dashboard on a small real warehouse, through Streamlit's AppTest."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import AF_AVAKT, pnr, query, run_refresh

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


@pytest.fixture
def small_warehouse(delivery, warehouse, monkeypatch):
    a, b = pnr("19900101", "123"), pnr("19851224", "242")
    delivery.af("af_avaktiveringar_20120131.csv", AF_AVAKT,
                [[a, "2012-01-10", "OVRIG"], [b, "2012-01-11", "NEJ"], [a, "2012-01-10", "OVRIG"]])
    (delivery.folder / "af_manadsstatus_201201.csv").write_bytes(b"")
    run_refresh(delivery.folder, warehouse)
    monkeypatch.setenv("WAREHOUSE", str(warehouse))
    return warehouse


def test_data_quality_page_shows_the_load_log_and_quarantine(small_warehouse):
    app = AppTest.from_file(APP, default_timeout=30).run()
    assert not app.exception
    assert app.title[0].value == "Datakvalitet"
    frames = [df.value for df in app.dataframe]
    log = next(f for f in frames if "rows_quarantined" in f.columns)
    expected = query(small_warehouse, "SELECT file, rows_read, rows_loaded, rows_quarantined "
                                      "FROM raw.load_log WHERE status = 'loaded'")
    shown = log[log["status"] == "loaded"][["file", "rows_read", "rows_loaded", "rows_quarantined"]]
    assert [tuple(r) for r in shown.itertuples(index=False)] == expected
    rejected = next(f for f in frames if list(f.columns) == ["file", "status", "error"])
    assert rejected["file"].tolist() == ["af_manadsstatus_201201.csv"]
    reasons = next(f for f in frames if "reason" in f.columns and "rows" in f.columns)
    assert sorted(reasons["reason"]) == ["duplicate_row", "unknown_code"]


def test_english_labels(small_warehouse):
    app = AppTest.from_file(APP, default_timeout=30)
    app.session_state["language"] = "en"
    app.run()
    assert app.title[0].value == "Data quality"


def test_no_warehouse_explains_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE", str(tmp_path / "missing.duckdb"))
    app = AppTest.from_file(APP, default_timeout=30).run()
    assert not app.exception
    assert "make refresh" in app.info[0].value
