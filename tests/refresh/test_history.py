"""The refresh history in the serving file: a run that publishes nothing adds its row."""

import duckdb

from refresh import history


def rows(serving, sql):
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_run_that_publishes_nothing_adds_its_row_and_keeps_every_mart(tmp_path):
    """The serving file of an earlier release (its history lacks the fingerprint column):
    the marts stay as they were, the old rows stay, the new one is added."""
    serving, build = tmp_path / "w.serving.duckdb", tmp_path / ".w.serving.duckdb.build"
    with duckdb.connect(str(serving)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute("CREATE TABLE marts.fct_x AS SELECT range AS n FROM range(1000)")
        con.execute("COMMENT ON TABLE marts.fct_x IS 'a mart'")
        con.execute("CREATE SCHEMA ops")
        con.execute("CREATE TABLE ops.refresh_history (run_id VARCHAR, started_at TIMESTAMP, "
                    "result VARCHAR)")
        con.execute("INSERT INTO ops.refresh_history VALUES ('r1', '2026-01-01 10:00', 'published')")
    history.record(serving, build, history.History(
        run_id="r2", started_at="2026-02-01T10:00:00.000", finished_at="2026-02-01T10:00:01.000",
        result="unchanged", message="nothing new", stage_seconds={"check": 0.2},
        fingerprint="abc"))
    assert not build.exists()
    assert rows(serving, "SELECT count(*), sum(n) FROM marts.fct_x") == [(1000, 499500)]
    assert rows(serving, "SELECT comment FROM duckdb_tables() WHERE table_name = 'fct_x'") == \
        [("a mart",)]
    assert rows(serving, "SELECT run_id, result, message, fingerprint, stage_seconds->>'check' "
                         "FROM ops.refresh_history ORDER BY started_at") == [
        ("r1", "published", None, None, None), ("r2", "unchanged", "nothing new", "abc", "0.2")]
    assert rows(serving, "SELECT count(*) FROM ops.validation_results") == [(0,)]


def test_the_first_run_that_fails_creates_the_history(tmp_path):
    serving, build = tmp_path / "w.serving.duckdb", tmp_path / ".w.serving.duckdb.build"
    history.record(serving, build, history.History(
        run_id="r1", started_at="2026-02-01T10:00:00.000", result="failed", failed_stage="dbt",
        checks_failed=["failed: model.kedjan.x"]))
    assert rows(serving, "SELECT run_id, result, failed_stage, checks_failed->>0 "
                         "FROM ops.refresh_history") == [("r1", "failed", "dbt", "failed: model.kedjan.x")]
