"""The SQL page's protection (issue #14): a byte limit on results, DuckDB's memory limit,
results of every DuckDB type shown without a traceback, and messages that name nothing
outside marts. Through the real page with AppTest as an analyst where it matters."""

import re

import duckdb
import pandas as pd
import pytest

from dashboard.queries import sql as sql_queries
from dashboard.queries import sql_worker
from tests.dashboard.test_dashboard_funnel_sql import ran, result_tables, run_sql, sv

HUGE = "SELECT repeat('x', 50000000) AS s FROM range(20)"  # 1 GB of text


def rss_mb() -> tuple[int, int]:
    """This process's resident memory now and at its peak since the last reset, in MB."""
    status = open("/proc/self/status").read()
    return tuple(int(re.search(rf"{k}:\s+(\d+)", status).group(1)) // 1024 for k in ("VmRSS", "VmHWM"))


def reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # resets VmHWM to the current resident size


# --- the byte limit ----------------------------------------------------------------------

def test_a_gigabyte_of_text_is_cut_without_reaching_the_dashboard(published, analyst):
    reset_peak()
    before, _ = rss_mb()
    app = run_sql(analyst, HUGE)
    after, peak = rss_mb()
    print(f"\nRSS of the dashboard process for {HUGE!r}: {before} MB before, {after} MB after, "
          f"{peak} MB at the peak")
    assert not app.error, [e.value for e in app.error]
    assert sv("sql_cut").format(mb=50, rows="0") in [w.value for w in app.warning]
    assert peak - before < 300  # the audit saw the process reach 6.7 GB


def test_rows_are_cut_at_the_byte_limit(published):
    result = sql_queries.run("SELECT i, repeat('x', 1000000) AS s FROM range(200) t(i)")
    assert result.cut and not result.truncated
    assert 40 <= len(result.frame) < 50  # a megabyte a row, 50 MB
    assert result.frame["i"].tolist() == list(range(len(result.frame)))
    assert int(result.frame["s"].str.len().sum()) <= sql_queries.BYTE_LIMIT_MB * 10**6


def test_the_cut_is_shown_with_the_rows_that_fit(published, analyst, monkeypatch):
    monkeypatch.setattr(sql_queries, "BYTE_LIMIT_MB", 5)
    app = run_sql(analyst, "SELECT i, repeat('x', 100000) AS s FROM range(100) t(i)")
    [result] = result_tables(app)
    assert 30 <= len(result) < 50 and ran(app)  # 100 kB a row, sent about 1 MB at a time
    assert sv("sql_cut").format(mb=5, rows=str(len(result))) in [w.value for w in app.warning]


def test_a_small_result_is_not_cut(published):
    result = sql_queries.run("SELECT * FROM range(9999)")
    assert not result.cut and len(result.frame) == 9999


# --- the memory limit --------------------------------------------------------------------

def test_the_memory_limit_is_applied_locked_and_without_spilling(published):
    with sql_worker.connect(str(published), "123MB") as con:
        limit, temp = con.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')").fetchall()[0]
        assert limit == "117.3 MiB" and temp == ""  # 123 MB in DuckDB's units; no spilling
        for setting in ("SET memory_limit = '10GB'", "SET temp_directory = '/tmp'",
                        "SET enable_external_access = true"):
            with pytest.raises(duckdb.InvalidInputException, match="locked"):
                con.execute(setting)


NEEDS_MEMORY = "SELECT count(DISTINCT i::VARCHAR || 'abcdefghijklmnop') AS n FROM range(5000000) t(i)"


def test_a_query_over_the_memory_limit_fails_with_a_clear_message(published, analyst, monkeypatch):
    monkeypatch.setattr(sql_queries, "MEMORY_LIMIT", "50MB")
    with pytest.raises(sql_queries.Failed) as failure:
        sql_queries.run(NEEDS_MEMORY)
    assert failure.value.key == "sql_out_of_memory"
    app = run_sql(analyst, NEEDS_MEMORY)
    assert [e.value for e in app.error] == [sv("sql_out_of_memory").format(memory="50MB")]
    assert not result_tables(app)
    # the page runs the next query
    app = run_sql(app, "SELECT 1 AS n")
    assert not app.error and ran(app)


def test_memory_duckdb_does_not_count_is_bounded_by_the_workers_address_space(published, monkeypatch):
    # the vector of 20 strings (1 GB) is not counted by memory_limit: the worker's limit stops it
    monkeypatch.setattr(sql_queries, "PROCESS_MEMORY_BYTES", 1536 * 2**20)
    with pytest.raises(sql_queries.Failed) as failure:
        sql_queries.run(HUGE)
    assert failure.value.key == "sql_out_of_memory"


# --- every type --------------------------------------------------------------------------

TYPES = [  # (SQL expression, the text the page shows)
    ("[1, 2, 3]", "[1, 2, 3]"),
    ("{'a': 1, 'b': 'å'}", "{'a': 1, 'b': å}"),
    ("MAP {'k': 1}", "{k=1}"),
    ("union_value(n := 1)::UNION(n INTEGER, t VARCHAR)", "1"),
    ("'\\xAA\\x00'::BLOB", "\\xAA\\x00"),
    ("INTERVAL 1 DAY + INTERVAL 2 HOUR", "1 day 02:00:00"),
    ("1.25::DECIMAL(10, 2)", "1.25"),
    ("'00000000-0000-0000-0000-000000000001'::UUID", "00000000-0000-0000-0000-000000000001"),
    ("170141183460469231731687303715884105727::HUGEINT", "170141183460469231731687303715884105727"),
    ("1::UHUGEINT", "1"),
    ("'glad'::ENUM('glad', 'ledsen')", "glad"),
    ("TIME '10:00'", "10:00:00"),
    ("TIMETZ '12:00:00+02'", "12:00:00+02"),
    ("TIMESTAMPTZ '2024-01-01 12:00:00+00'", "2024-01-01 12:00:00+00"),
    ("TIMESTAMP '9999-12-31 23:59:59'", "9999-12-31 23:59:59"),
    ("DATE 'infinity'", "infinity"),
    ("DATE '2024-01-31'", "2024-01-31"),
    ("'101'::BIT", "101"),
    ("[1, 2]::INTEGER[2]", "[1, 2]"),
    ("[{'a': [MAP {'k': [1, NULL]}]}]", "[{'a': [{k=[1, NULL]}]}]"),
    ("[]::INTEGER[]", "[]"),
    ("42::UBIGINT", "42"),
    ("true", "ja"),  # a boolean in the UI language, as in every table
    ("'text'", "text"),
]


def test_every_type_is_shown_as_readable_text(published, analyst):
    columns = [f"{expression} AS c{i}" for i, (expression, _) in enumerate(TYPES)]
    nulls = [f"NULL AS c{i}" for i in range(len(TYPES))]
    app = run_sql(analyst, f"SELECT 1 AS row, {', '.join(columns)} "
                           f"UNION ALL SELECT 2, {', '.join(nulls)} ORDER BY row")
    assert not app.error, [e.value for e in app.error]
    [result] = result_tables(app)
    assert len(result) == 2
    for i, (expression, shown) in enumerate(TYPES):
        assert str(result[f"c{i}"].iloc[0]) == shown, expression
        null = result[f"c{i}"].iloc[1]
        assert pd.isna(null) or null in ("", "None"), (expression, null)


def test_a_null_only_column(published, analyst):
    app = run_sql(analyst, "SELECT NULL AS nothing, NULL::INTEGER[] AS no_list")
    assert not app.error, [e.value for e in app.error]
    assert ran(app)


# --- messages name nothing outside marts --------------------------------------------------

STATEMENTS = [  # close to ops, raw and system names, an unknown column, a mistyped function
    "SELECT * FROM marts.quarantin",
    "SELECT * FROM marts.load_lg",
    "SELECT * FROM marts.refresh_histor",
    "SELECT * FROM marts.af_sokand",
    "SELECT kpi_idd FROM marts.dim_kpi",
    "SELECT cont(*) FROM marts.dim_kpi",
    "SELECT duckdb_tabls()",
    "SELECT 'a'::quarantin",
    "SELECT * FROM quarantine",
    "SELECT * FROM ops.quarantine",
]


def outside_names(serving) -> set[str]:
    with duckdb.connect(str(serving), read_only=True) as con:
        catalog = sql_queries._catalog(con)
    return set(catalog.other_names | catalog.other_schemas) | {"main", "information_schema"}


def test_messages_name_nothing_outside_marts(published, analyst):
    outside = outside_names(published)
    assert {"ops", "quarantine", "load_log"} <= outside
    app = analyst
    for sql in STATEMENTS:
        app = run_sql(app, sql)
        [shown] = [e.value for e in app.error]
        own = set(re.findall(r"[a-z_]+", sql.lower()))
        words = set(re.findall(r"[a-z_][a-z0-9_]*", shown.lower())) - own
        assert not words & outside, (sql, shown)
        assert not [w for w in words if w.startswith(("duckdb_", "pragma_"))], (sql, shown)


def test_a_hint_within_marts_is_kept(published):
    with pytest.raises(sql_queries.Failed) as failure:
        sql_queries.run("SELECT kpi_idd FROM marts.dim_kpi")
    assert failure.value.key == "sql_failed" and '"kpi_id"' in failure.value.detail
