"""The dashboard on a small real warehouse, through Streamlit's AppTest."""

import tomllib
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

import settings
from dashboard.labels import text
from dashboard.quarantine import reason as reason_text
from tests.conftest import APP, app_as, query


def col(column: str) -> str:
    """A column header of the Datakvalitet page, in Swedish."""
    return text(f"dq_col_{column}", "sv")


def code(value: str) -> str:
    """A code in a Datakvalitet table (a result, a status, a reason), in Swedish."""
    return text(f"dq_code_{value}", "sv")


def whole(n: int) -> str:
    """A count as a Swedish table shows it: thousands apart by a no-break space."""
    return f"{n:,}".replace(",", "\u00a0")


def test_data_quality_page_shows_the_load_log_and_quarantine(published):
    app = app_as("dataansvarig", "data_quality.py")
    assert not app.exception
    assert app.title[0].value == "Datakvalitet"
    frames = [df.value for df in app.dataframe]
    log = next(f for f in frames if {col("file"), col("rows_quarantined")} <= set(f.columns))
    expected = query(published, "SELECT file, rows_read, rows_loaded, rows_quarantined "
                                "FROM ops.load_log WHERE status = 'loaded' ORDER BY load_id DESC")
    columns = [col(c) for c in ("file", "rows_read", "rows_loaded", "rows_quarantined")]
    shown = log[log[col("status")] == code("loaded")][columns]
    assert [tuple(r) for r in shown.itertuples(index=False)] == [
        (file, whole(read), whole(loaded), whole(quarantined))
        for file, read, loaded, quarantined in expected]
    rejected = next(f for f in frames
                    if list(f.columns) == [col("file"), col("status"), col("error")])
    assert rejected[col("file")].tolist() == ["af_manadsstatus_201912.csv"]
    assert rejected[col("status")].tolist() == [code("rejected")]
    reasons = next(f for f in frames if col("reason") in f.columns and col("rows") in f.columns)
    assert sum(int(n.replace("\u00a0", "")) for n in reasons[col("rows")]) == \
        query(published, "SELECT count(*) FROM ops.quarantine")[0][0]
    delivered = [r for (r,) in query(published, "SELECT DISTINCT reason FROM ops.quarantine")]
    assert set(reasons[col("reason")]) == {reason_text(r, "sv") for r in delivered}
    assert not set(reasons[col("reason")]) & set(delivered), "a reason shown as its raw code"


def test_data_quality_page_lists_entry_hub_visitor_ids_with_several_personnummer(
        published, tmp_path, monkeypatch):
    """projects.md: listed by besokar_id and count, never the numbers (nor their keys)."""
    app = app_as("dataansvarig", "data_quality.py")
    assert "Inget besökar-id har mer än ett personnummer." in [i.value for i in app.info]
    # A copy of the serving file with one such visitor id.
    serving = tmp_path / "warehouse.serving.duckdb"
    serving.write_bytes(published.read_bytes())
    with duckdb.connect(str(serving)) as con:
        con.execute("INSERT INTO ops.entry_hub_visitor_conflicts "
                    "VALUES ('EH000042', 2, 5, 1, DATE '2017-10-10', DATE '2018-03-01')")
    monkeypatch.setenv("WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    app = app_as("dataansvarig", "data_quality.py")
    assert not app.exception
    assert "Entry Hub: besökar-id med flera personnummer" in [h.value for h in app.subheader]
    conflicts = next(df.value for df in app.dataframe if col("besokar_id") in df.value.columns)
    assert conflicts.to_dict("records") == [{
        col("besokar_id"): "EH000042", col("personnummer_count"): "2", col("visit_count"): "5",
        col("visits_without_personnummer"): "1", col("first_visit_date"): "10 okt. 2017",
        col("last_visit_date"): "1 mars 2018"}]


def test_english_labels(published):
    app = app_as("dataansvarig", "data_quality.py", language="en")
    assert app.title[0].value == "Data quality"


@pytest.mark.parametrize("role", ["styrgrupp", "projektledare", "analytiker"])
def test_only_the_data_steward_gets_the_data_quality_page(published, role):
    """The page holds the load log, quarantine and Data Docs: no other role may open it."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["demo_role"] = role
    app.run()
    assert not app.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("app_pages/data_quality.py")
    app.session_state["demo_role"] = "dataansvarig"
    app.run()
    app.switch_page("app_pages/data_quality.py")  # registered for the data steward
    assert app.run().title[0].value == "Datakvalitet"


def test_sign_in_is_asked_for_outside_demo_mode(published, monkeypatch):
    monkeypatch.delenv("KEDJAN_DEMO_MODE")
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert app.button[0].label == "Logga in / Sign in"
    assert not app.dataframe


def test_no_warehouse_explains_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE", str(tmp_path / "missing.duckdb"))
    monkeypatch.setenv("KEDJAN_DEMO_MODE", "1")
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["demo_role"] = "dataansvarig"
    app.run()
    assert not app.exception
    assert "make refresh" in app.info[0].value


def test_data_quality_page_shows_the_refresh_history_and_validation(published):
    app = app_as("dataansvarig", "data_quality.py")
    assert not app.exception
    assert "Senaste uppdateringen publicerades" in app.success[0].value
    frames = [df.value for df in app.dataframe]
    history = next(f for f in frames if col("failed_stage") in f.columns)
    assert history[col("result")].tolist() == [code(r[0]) for r in query(
        published, "SELECT result FROM ops.refresh_history ORDER BY started_at DESC")]
    stages = next(f for f in frames if "dbt" in f.columns)
    # The history row is written while publishing, so publish's own seconds are only in
    # the total (finished_at - started_at).
    assert set(stages.columns) >= {code("ingest"), "dbt", code("validate")}
    failed = next(f for f in frames if col("severity") in f.columns)
    assert set(failed[col("status")]) == {code("failed")}
    assert set(failed[col("severity")]) <= {code("warning")}


def test_data_docs_are_shown_to_the_data_steward_from_disk(published):
    app = app_as("dataansvarig", "data_quality.py")
    docs = settings.data_docs(settings.warehouse())
    results = sorted((docs / "validations").rglob("*.html"), key=lambda p: p.parent.name)
    pages = app.selectbox(key="data_docs_page")
    assert pages.label == "Valideringsresultat (körning · kontrollsvit)"
    assert len(pages.options) == len(results) and pages.value.parent.name == results[-1].parent.name
    (frame,) = app.get("iframe")
    assert frame.proto.srcdoc.startswith("<!DOCTYPE html>")
    pages.set_value(results[0]).run()  # the oldest run's first page
    assert not app.exception
    html = app.get("iframe")[0].proto.srcdoc
    # Shown as written, except that nothing from outside may load or run in the app's origin.
    policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    head, body = html.split("<head>", 1)
    assert body.startswith(f'<meta http-equiv="Content-Security-Policy" content="{policy}">')
    assert results[0].read_text(encoding="utf-8").split("<head>", 1)[1] in body


def test_users_see_no_error_details_and_no_static_files():
    """The server's config: a generic message instead of a traceback with server paths,
    no developer menu, and nothing served from a static folder."""
    config = tomllib.loads((Path(APP).parent.parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "minimal"
    assert config["server"]["enableStaticServing"] is False
