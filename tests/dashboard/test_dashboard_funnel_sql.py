"""The Kedjan (funnel) and SQL pages on a small real warehouse, through Streamlit's AppTest.

Expected numbers are computed here independently, with pandas over
marts.fct_participation_steps read straight from the serving file.
"""

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.labels import text
from dashboard.queries import funnel as funnel_queries
from dashboard.queries import sql as sql_queries
from tests.conftest import APP, app_as

STEPS = ["inskriven", "plan", "insats", "arbetsgivarkontakt", "anstalld", "sjalvforsorjande"]
PROJECT = "ETST"


def sv(key: str) -> str:
    return text(key, "sv")


def read(serving, sql: str, params=()) -> pd.DataFrame:
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute(sql, list(params)).df()


def month_end(month) -> pd.Timestamp:
    return pd.Timestamp(month) + pd.offsets.MonthEnd(0)


def project_months(serving, project_id: str = PROJECT) -> tuple[pd.Timestamp, pd.Timestamp]:
    row = read(serving, "SELECT reporting_end_month, latest_data_month FROM marts.dim_project "
                        "WHERE project_id = ?", [project_id]).iloc[0]
    return pd.Timestamp(row["reporting_end_month"]), pd.Timestamp(row["latest_data_month"])


def participants(serving, cutoff, intake_from=None, intake_to=None, genders=None,
                 project_id: str = PROJECT) -> pd.DataFrame:
    """The selection's people with each step date blanked when after the cutoff."""
    df = read(serving, "SELECT * FROM marts.fct_participation_steps WHERE project_id = ?",
              [project_id])
    cutoff = pd.Timestamp(cutoff)
    for s in STEPS:
        df[f"{s}_date"] = pd.to_datetime(df[f"{s}_date"])
    df["intake_month"] = pd.to_datetime(df["intake_month"])
    keep = df["inskriven_date"] <= cutoff
    if intake_from is not None:
        keep &= df["intake_month"] >= pd.Timestamp(intake_from)
    if intake_to is not None:
        keep &= df["intake_month"] <= pd.Timestamp(intake_to)
    if genders:
        keep &= df["gender"].isin(genders)
    df = df[keep].copy()
    for s in STEPS:
        df[f"{s}_date"] = df[f"{s}_date"].where(df[f"{s}_date"] <= cutoff)
    return df


def expected_funnel(people: pd.DataFrame) -> pd.DataFrame:
    """Per step: participants, reached, reached the step before, reached both, drop-off
    and skipped (reached while an earlier step is missing or later)."""
    rows = []
    for i, s in enumerate(STEPS):
        date = people[f"{s}_date"]
        reached = date.notna()
        row = {"step": s, "participants": len(people), "reached": int(reached.sum())}
        if i > 0:
            before = people[f"{STEPS[i - 1]}_date"].notna()
            row["previous_reached"] = int(before.sum())
            row["reached_with_previous"] = int((reached & before).sum())
            row["drop_off"] = row["previous_reached"] - row["reached_with_previous"]
        else:
            row["previous_reached"] = row["reached_with_previous"] = row["drop_off"] = None
        earlier_gap = pd.Series(False, index=people.index)
        for e in STEPS[:i]:
            earlier = people[f"{e}_date"]
            earlier_gap |= earlier.isna() | (earlier > date)
        row["skipped"] = int((reached & earlier_gap).sum())
        rows.append(row)
    return pd.DataFrame(rows).set_index("step")


def cell(value) -> str | None:
    """A table cell as text ('<5', '12', '1924' for '1 924'), blank as None."""
    if value is None or value == "" or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\u00a0", "")


SWEDISH_MONTHS = ("jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.",
                  "okt.", "nov.", "dec.")  # CLDR's, as the tables write them


def swedish_dates(shown: pd.Series) -> pd.Series:
    """Dates as the tables write them ('10 okt. 2013'), blank as NaT."""
    def one(text):
        if not text:
            return pd.NaT
        day, month, year = text.split(" ")
        return pd.Timestamp(int(year), SWEDISH_MONTHS.index(month) + 1, int(day))
    return shown.map(one)


def frame_with(app: AppTest, *columns: str) -> pd.DataFrame:
    for df in app.dataframe:
        if all(c in df.value.columns for c in columns):
            return df.value
    raise AssertionError(f"no table with {columns}: {[list(d.value.columns) for d in app.dataframe]}")


def funnel_table(app: AppTest) -> pd.DataFrame:
    """The page's funnel table, indexed by step key, columns by their keys."""
    columns = ["participants", "reached", "share_of_start", "previous_reached",
               "reached_with_previous", "conversion", "drop_off", "drop_off_rate", "skipped"]
    df = frame_with(app, sv("col_step"), sv("col_drop_off"))
    df = df.rename(columns={sv(f"col_{c}"): c for c in columns})
    labels = {sv(f"step_{s}"): s for s in STEPS}
    df["step"] = df[sv("col_step")].map(labels)
    assert df["step"].notna().all(), df[sv("col_step")].tolist()
    return df.set_index("step")[columns]


def assert_funnel(app: AppTest, people: pd.DataFrame) -> None:
    expected = expected_funnel(people)
    shown = funnel_table(app)
    assert list(shown.index) == STEPS
    for step in STEPS:
        for c in ("participants", "reached", "previous_reached", "reached_with_previous",
                  "drop_off", "skipped"):
            want = expected.loc[step, c]
            want = None if want is None or pd.isna(want) else str(int(want))
            assert cell(shown.loc[step, c]) == want, (step, c, shown.loc[step, c], want)
        share = expected.loc[step, "reached"] / expected.loc[step, "participants"]
        shown_share = float(cell(shown.loc[step, "share_of_start"]).replace(",", ".")[:-1]) / 100
        assert shown_share == pytest.approx(share, abs=0.0005)  # "72,8 %"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics[sv("funnel_participants")] == f"{len(people):,}".replace(",", "\u00a0")
    employed = expected.loc["anstalld", "reached"] / len(people)
    # CLDR's Swedish percentage: a decimal comma and a no-break space before %
    assert metrics[sv("funnel_employed_share")] == f"{employed * 100:.1f}\u00a0%".replace(".", ",")


def widget(app: AppTest, kind: str, key: str):
    return getattr(app, kind)(key=key)


# --- Kedjan as a project manager --------------------------------------------------------

@pytest.fixture
def manager(published):
    return app_as("projektledare", "funnel.py", projects=[PROJECT])


def test_funnel_counts_equal_the_mart_as_of_the_reporting_month(published, manager):
    app = manager
    assert app.title[0].value == sv("funnel")
    assert app.selectbox(key="funnel_project").value == PROJECT
    assert app.radio(key=f"funnel_basis_{PROJECT}").value == "as_of"
    reporting, _ = project_months(published)
    cutoff = month_end(reporting)
    people = participants(published, cutoff)
    # the default intake range is every intake month up to the cutoff
    start, end = app.select_slider(key=f"funnel_intake_{PROJECT}_as_of").value
    assert pd.Timestamp(start) == people["intake_month"].min()
    assert pd.Timestamp(end) == people["intake_month"].max()
    # the cutoff matters: later step dates exist in the mart, and are not counted
    everything = participants(published, pd.Timestamp("2100-01-01"))
    assert (everything["anstalld_date"] > cutoff).any()
    assert_funnel(app, people)
    assert len(people) > 100


def test_funnel_with_all_delivered_data_counts_later_steps(published, manager):
    app = manager
    reporting, latest = project_months(published)
    assert latest > reporting
    app.radio(key=f"funnel_basis_{PROJECT}").set_value("latest").run()
    assert not app.exception, [e.value for e in app.exception]
    people = participants(published, month_end(latest))
    before = participants(published, month_end(reporting))
    assert people["anstalld_date"].notna().sum() > before["anstalld_date"].notna().sum()
    assert_funnel(app, people)


def test_gender_filter_changes_the_counts_to_the_filtered_ones(published, manager):
    app = manager
    cutoff = month_end(project_months(published)[0])
    app.multiselect(key="funnel_gender").set_value(["K"]).run()
    assert not app.exception, [e.value for e in app.exception]
    women = participants(published, cutoff, genders=["K"])
    everyone = participants(published, cutoff)
    assert 0 < len(women) < len(everyone)
    assert_funnel(app, women)
    assert cell(funnel_table(app).loc["inskriven", "participants"]) != str(len(everyone))


def test_intake_range_limits_the_cohorts(published, manager):
    app = manager
    cutoff = month_end(project_months(published)[0])
    slider = app.select_slider(key=f"funnel_intake_{PROJECT}_as_of")
    months = list(slider.options)
    assert len(months) > 12
    everyone = participants(published, cutoff)
    lower = sorted(everyone["intake_month"].unique())[6].date()
    upper = sorted(everyone["intake_month"].unique())[12].date()
    slider.set_range(lower, upper).run()
    assert not app.exception, [e.value for e in app.exception]
    people = participants(published, cutoff, lower, upper)
    assert 0 < len(people) < len(everyone)
    assert_funnel(app, people)


def clickable_charts(app: AppTest) -> list[list[int]]:
    """Each chart's selection modes: empty when a click on it does nothing."""
    return [list(chart.proto.selection_mode) for chart in app.get("plotly_chart")]


def ordered_keys(people: pd.DataFrame) -> list[str]:
    return people.sort_values(["inskriven_date", "person_key"])["person_key"].tolist()


def test_a_click_lists_the_participants_of_its_bar_or_cell(published, manager):
    """What a click opens (queries.people with the bar's step and group, or the cell's
    cohort) equals the people of the selection computed from fct_participation_steps."""
    app = manager
    assert clickable_charts(app) and all(clickable_charts(app)), clickable_charts(app)
    assert sv("funnel_click_hint") in [c.value for c in app.caption]
    cutoff = month_end(project_months(published)[0])
    everyone = participants(published, cutoff)
    selection = funnel_queries.whole_project(PROJECT)
    assert selection.reading == "as_of"
    for step in ("anstalld", "plan"):
        for reached in (True, False):
            want = ordered_keys(everyone[everyone[f"{step}_date"].notna() == reached])
            listed = funnel_queries.people(selection, step, reached)
            assert want and listed["person_key"].tolist() == want, (step, reached)
            # the step dates are shown as of the cutoff
            dates = pd.to_datetime(listed[f"{step}_date"])
            assert dates.notna().all() if reached else dates.isna().all()
            assert (dates.dropna() <= cutoff).all()
    # a bar of one group of a split: men without a plan
    men = everyone[everyone["gender"] == "M"]
    want = ordered_keys(men[men["plan_date"].isna()])
    listed = funnel_queries.people(selection, "plan", False, group=("gender", "M"))
    assert want and listed["person_key"].tolist() == want
    assert set(listed["gender"]) == {"M"}
    # a heatmap cell: the biggest monthly cohort's employed, and a quarter's
    cohort = everyone["intake_month"].value_counts().sort_index().idxmax()
    in_cohort = everyone[everyone["intake_month"] == cohort]
    want = ordered_keys(in_cohort[in_cohort["anstalld_date"].notna()])
    listed = funnel_queries.people(selection, "anstalld", True, grain="month",
                                   cohort=cohort.date())
    assert want and listed["person_key"].tolist() == want
    quarter = cohort.to_period("Q").start_time
    in_quarter = everyone[everyone["intake_month"].dt.to_period("Q").dt.start_time == quarter]
    listed = funnel_queries.people(selection, "sjalvforsorjande", True, grain="quarter",
                                   cohort=quarter.date())
    assert listed["person_key"].tolist() == ordered_keys(
        in_quarter[in_quarter["sjalvforsorjande_date"].notna()])
    assert len(in_quarter) > len(in_cohort)


def test_a_project_without_chain_data_is_named_not_refused(published):
    """Entry Hub's visitors are not registered participants: its manager is told there is
    no chain data, not that access is refused."""
    chained = read(published, "SELECT count(*) AS n FROM marts.fct_funnel_participants "
                              "WHERE project_id = 'EHUB'")["n"].iloc[0]
    assert chained == 0
    name = read(published, "SELECT name_sv FROM marts.dim_project WHERE project_id = 'EHUB'")
    app = app_as("projektledare", "funnel.py", projects=["EHUB"])
    infos = [i.value for i in app.info]
    assert sv("funnel_no_chain_data").format(projects=name["name_sv"].iloc[0]) in infos, infos
    assert sv("funnel_no_projects") not in infos
    # ... and a manager of no project at all is refused (the check can fail)
    app = app_as("projektledare", "funnel.py", projects=[])
    assert sv("funnel_no_projects") in [i.value for i in app.info]


# --- Kedjan for the steering group -------------------------------------------------------

@pytest.fixture
def steering(published):
    app = app_as("styrgrupp", "funnel.py")
    if app.selectbox(key="funnel_project").value != PROJECT:
        app.selectbox(key="funnel_project").set_value(PROJECT).run()
    return app


def all_widget_keys(app: AppTest) -> list[str]:
    keys = []
    for kind in ("selectbox", "multiselect", "radio", "select_slider", "slider", "button",
                 "text_input", "checkbox"):
        keys += [w.key for w in getattr(app, kind) if w.key]
    return keys


def test_steering_group_sees_no_people(published, steering):
    app = steering
    assert not app.exception
    assert all_widget_keys(app), "no widgets found: the page did not render"
    assert not [k for k in all_widget_keys(app) if k.startswith("funnel_people")]
    assert not [d for d in app.dataframe if "person_key" in d.value.columns]
    assert sv("funnel_drilldown_not_allowed") in [i.value for i in app.info]
    # its charts take no clicks
    assert clickable_charts(app) and not any(clickable_charts(app)), clickable_charts(app)
    assert sv("funnel_click_hint") not in [c.value for c in app.caption]
    assert sv("protection_legend") in [c.value for c in app.caption]
    # one fixed selection: no filters or intake range to difference
    assert not [k for k in all_widget_keys(app) if k.startswith(("funnel_gender", "funnel_intake",
                                                                  "funnel_district", "funnel_age"))]
    # a project manager on the same page does get the clicks (the check can fail)
    manager = app_as("projektledare", "funnel.py", projects=[PROJECT])
    assert all(clickable_charts(manager))


def test_steering_group_small_drop_off_shows_as_under_five(published, steering):
    app = steering
    cutoff = month_end(project_months(published)[0])
    expected = expected_funnel(participants(published, cutoff))
    shown = funnel_table(app)
    small = [s for s in STEPS[1:] if 1 <= expected.loc[s, "drop_off"] <= 4]
    assert small, expected["drop_off"].tolist()
    marks = ("<5", "..")
    for step in small:
        assert cell(shown.loc[step, "drop_off"]) in marks
        # ... and not recoverable as before - reached both
        assert {cell(shown.loc[step, "previous_reached"]),
                cell(shown.loc[step, "reached_with_previous"])} & set(marks), step
        for c in ("conversion", "drop_off_rate"):
            assert cell(shown.loc[step, c]) in (None, ".."), (step, c, shown.loc[step, c])
    for step in STEPS:
        assert cell(shown.loc[step, "participants"]) == str(expected.loc[step, "participants"])
        for c in ("reached", "drop_off"):
            if step == STEPS[0] and c == "drop_off":
                continue
            value = int(expected.loc[step, c])
            # a count of 1-4 is hidden; any other is shown, or hidden as '..' beside one
            assert cell(shown.loc[step, c]) in (marks if 1 <= value <= 4 else (str(value), "..")), \
                (step, c, value)


def test_steering_group_small_cohorts_are_protected_in_the_heatmap_table(published, steering):
    app = steering
    assert sv("funnel_steering_heatmap").format(every=3) in [c.value for c in app.caption]
    cutoff = month_end(project_months(published)[0])
    people = participants(published, cutoff)
    quarters = people["intake_month"].dt.to_period("Q").value_counts()
    small = {f"K{q.quarter} {q.year}": n for q, n in quarters.items() if 1 <= n <= 4}
    big = {f"K{q.quarter} {q.year}": n for q, n in quarters.items() if n >= 5}
    assert small and big, quarters
    with pytest.raises(AssertionError):  # built only while its panel is open
        frame_with(app, sv("col_cohort"), sv("col_cohort_size"))
    app.session_state["funnel_heatmap_table_open"] = True
    app.run()
    heat = frame_with(app, sv("col_cohort"), sv("col_cohort_size"))
    assert set(heat[sv("col_cohort")]) == set(small) | set(big)
    for label in small:
        rows = heat[heat[sv("col_cohort")] == label]
        assert {cell(v) for v in rows[sv("col_cohort_size")]} in ({"<5"}, {".."})
        for c in ("col_share_employed", "col_share_self_supporting"):
            assert set(rows[sv(c)].map(cell)) <= {None, ".."}, (label, c)
        for c in ("col_employed", "col_self_supporting"):
            assert set(rows[sv(c)].map(cell)) <= {"<5", "0", ".."}
    for label, n in big.items():
        rows = heat[heat[sv("col_cohort")] == label]
        assert {cell(v) for v in rows[sv("col_cohort_size")]} in ({str(n)}, {".."})


# --- the SQL page ------------------------------------------------------------------------

def run_sql(app: AppTest, sql: str) -> AppTest:
    app.text_area(key="sql_text").input(sql)
    [run] = [b for b in app.button if b.label == sv("sql_run")]
    run.click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def result_tables(app: AppTest) -> list[pd.DataFrame]:
    """Tables other than the schema browser's."""
    return [d.value for d in app.dataframe if sv("sql_column") not in d.value.columns]


def ran(app: AppTest) -> bool:
    marker = sv("sql_result_summary").split("{rows}")[1].split("{seconds")[0]  # " rader på "
    return any(marker in c.value for c in app.caption)


def test_sql_count_equals_the_mart(published, analyst):
    n = read(published, "SELECT count(*) AS n FROM marts.fct_participation_steps")["n"].iloc[0]
    app = run_sql(analyst, "SELECT count(*) AS n FROM marts.fct_participation_steps")
    assert not app.error, [e.value for e in app.error]
    [result] = result_tables(app)
    assert list(result.columns) == ["n"] and int(result["n"].iloc[0]) == n == 400
    assert ran(app)
    assert not [w for w in app.warning if w.value.startswith(sv("sql_truncated")[:20])]


def test_sql_row_limit_is_enforced_with_a_warning(published, analyst):
    assert sql_queries.ROW_LIMIT == 10_000
    n = read(published, "SELECT count(*) AS n FROM marts.fct_participation_steps")["n"].iloc[0]
    assert n * n > sql_queries.ROW_LIMIT
    app = run_sql(analyst, "SELECT a.person_key, b.person_key AS other "
                           "FROM marts.fct_participation_steps AS a, "
                           "marts.fct_participation_steps AS b")
    [result] = result_tables(app)
    assert len(result) == sql_queries.ROW_LIMIT
    warning = sv("sql_truncated").format(rows="10\u00a0000")
    assert warning in [w.value for w in app.warning]
    # a query under the limit has no warning
    app = run_sql(app, "SELECT * FROM range(9999)")
    assert len(result_tables(app)[0]) == 9999
    assert warning not in [w.value for w in app.warning]


REFUSED_ON_PAGE = [
    ("DROP TABLE marts.dim_kpi", "sql_refused_write"),
    ("ATTACH 'x.duckdb'", "sql_refused_attach"),
    ("SELECT * FROM read_csv('/etc/passwd')", "sql_refused_file"),
    ("INSTALL httpfs", "sql_refused_extension"),
    ("SELECT * FROM ops.quarantine", "sql_refused_schema"),
    ("COPY marts.dim_kpi TO 'x.csv'", "sql_refused_copy"),
    ("SELECT 1; SELECT 2", "sql_refused_multiple"),
]


@pytest.mark.parametrize("sql,key", REFUSED_ON_PAGE)
def test_sql_page_refuses_and_runs_nothing(published, analyst, tmp_path, monkeypatch, sql, key):
    kpis = read(published, "SELECT count(*) AS n FROM marts.dim_kpi")["n"].iloc[0]
    monkeypatch.chdir(tmp_path)  # relative paths (x.duckdb, x.csv) would land here
    app = run_sql(analyst, sql)
    errors = [e.value for e in app.error]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{sv('sql_refused')} {sv(key)}"), errors
    assert not result_tables(app) and not ran(app)
    assert list(tmp_path.iterdir()) == []
    assert read(published, "SELECT count(*) AS n FROM marts.dim_kpi")["n"].iloc[0] == kpis
    # the page still runs a good query afterwards
    app = run_sql(app, "SELECT count(*) AS n FROM marts.dim_kpi")
    assert not app.error and int(result_tables(app)[0]["n"].iloc[0]) == kpis


def test_sql_page_is_not_in_the_steering_groups_navigation(published):
    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state["demo_role"] = "styrgrupp"
    app.run()
    assert not app.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("app_pages/sql.py")
    app.switch_page("app_pages/overview.py")  # a page it does have
    app.run()
    assert not app.exception


# --- the statement check, directly ------------------------------------------------------

MARTS = frozenset({"dim_kpi", "dim_month", "dim_person", "dim_project", "fct_budget_monthly",
                   "fct_funnel_cohort", "fct_kpi_monthly", "fct_participation_steps"})
OTHER = frozenset({"load_log", "quarantine", "refresh_history", "validation_results",
                   "duckdb_tables", "tables", "columns", "sqlite_master"})
CATALOG = sql_queries.Catalog("warehouse", MARTS, OTHER)

FORBIDDEN = [
    ("", "sql_refused_empty"),
    ("   ;  ", "sql_refused_empty"),
    ("SELEC 1", "sql_refused_syntax"),
    ("DROP TABLE marts.dim_kpi", "sql_refused_write"),
    ("DELETE FROM marts.dim_kpi", "sql_refused_write"),
    ("INSERT INTO marts.dim_kpi SELECT * FROM marts.dim_kpi", "sql_refused_write"),
    ("UPDATE marts.dim_kpi SET kpi_id = 'x'", "sql_refused_write"),
    ("CREATE TABLE marts.t AS SELECT 1", "sql_refused_write"),
    ("CREATE MACRO m() AS 1", "sql_refused_write"),
    ("ALTER TABLE marts.dim_kpi RENAME TO k", "sql_refused_write"),
    ("IMPORT DATABASE 'dir'", "sql_refused_write"),
    ("ATTACH 'x.duckdb'", "sql_refused_attach"),
    ("ATTACH 'x.duckdb' AS x (READ_ONLY)", "sql_refused_attach"),
    ("DETACH warehouse", "sql_refused_attach"),
    ("INSTALL httpfs", "sql_refused_extension"),
    ("LOAD httpfs", "sql_refused_extension"),
    ("PRAGMA database_list", "sql_refused_pragma"),
    ("SET enable_external_access = true", "sql_refused_set"),
    ("RESET memory_limit", "sql_refused_set"),
    ("USE ops", "sql_refused_set"),
    ("COPY marts.dim_kpi TO 'x.csv'", "sql_refused_copy"),
    ("COPY (SELECT 1) TO 'x.csv'", "sql_refused_copy"),
    ("EXPORT DATABASE 'dir'", "sql_refused_export"),
    ("CALL duckdb_settings()", "sql_refused_not_select"),
    ("CHECKPOINT", "sql_refused_not_select"),
    ("SELECT 1; SELECT 2", "sql_refused_multiple"),
    ("SELECT * FROM marts.dim_kpi; DROP TABLE marts.dim_kpi", "sql_refused_multiple"),
    ("SELECT * FROM read_csv('/etc/passwd')", "sql_refused_file"),
    ("SELECT * FROM read_csv_auto('/etc/passwd')", "sql_refused_file"),
    ("SELECT * FROM '/etc/passwd'", "sql_refused_file"),
    ("SELECT * FROM 'https://example.com/x.csv'", "sql_refused_file"),
    ("SELECT content FROM read_text('/etc/passwd')", "sql_refused_file"),
    ("SELECT * FROM parquet_scan('x.parquet')", "sql_refused_file"),
    ("SELECT * FROM glob('*')", "sql_refused_file"),
    ("SELECT getenv('HOME')", "sql_refused_function"),
    ("SELECT current_setting('threads')", "sql_refused_function"),
    ("SELECT * FROM query('SELECT 1')", "sql_refused_function"),
    ("SELECT * FROM duckdb_tables()", "sql_refused_table_function"),
    ("SELECT * FROM pragma_database_list()", "sql_refused_table_function"),
    ("SELECT * FROM ops.quarantine", "sql_refused_schema"),
    ("SELECT * FROM quarantine", "sql_refused_schema"),
    ("SELECT * FROM raw.af_sokande", "sql_refused_schema"),
    ("SELECT * FROM information_schema.tables", "sql_refused_schema"),
    ("SELECT * FROM other.marts.dim_kpi", "sql_refused_schema"),
    ("SELECT (SELECT count(*) FROM ops.quarantine)", "sql_refused_schema"),
    ("SELECT * FROM marts.dim_kpi JOIN ops.load_log ON true", "sql_refused_schema"),
    ("SELECT * FROM marts.dim_kpi WHERE kpi_id IN (SELECT run_id FROM ops.refresh_history)",
     "sql_refused_schema"),
    ("WITH quarantine AS (SELECT 1) SELECT * FROM quarantine", "sql_refused_schema"),
    ("SHOW TABLES", "sql_refused_schema"),
]

ALLOWED = [
    ("SELECT count(*) AS n FROM marts.fct_participation_steps", None),
    ("select count(*) from MARTS.FCT_PARTICIPATION_STEPS", None),
    ("SELECT * FROM dim_kpi", None),
    ("SELECT * FROM warehouse.marts.dim_kpi", None),
    ("WITH t AS (SELECT project_id FROM marts.dim_project) SELECT * FROM t", None),
    ("FROM marts.dim_kpi", None),
    ("VALUES (1), (2)", None),
    ("DESCRIBE marts.dim_kpi", None),
    ("SUMMARIZE marts.dim_kpi", None),
    ("SELECT * FROM range(10)", None),
    ("SELECT * FROM generate_series(1, 3)", None),
    ("SELECT unnest([1, 2, 3])", None),
    ("SELECT 'ops.quarantine' AS s", None),
    ("SELECT 1 -- DROP TABLE marts.dim_kpi", None),
    ("SELECT * FROM marts.dim_kpi;", "SELECT * FROM marts.dim_kpi"),
    ("SELECT k.kpi_id FROM marts.dim_kpi AS k JOIN marts.dim_project AS p ON true LIMIT 1", None),
]


@pytest.mark.parametrize("sql,key", FORBIDDEN)
def test_check_refuses(sql, key):
    with pytest.raises(sql_queries.Refused) as refusal:
        sql_queries.check(sql, CATALOG)
    assert refusal.value.key == key
    text(refusal.value.key, "sv")  # every refusal has a message


@pytest.mark.parametrize("sql,body", ALLOWED)
def test_check_accepts(sql, body):
    assert sql_queries.check(sql, CATALOG) == (body or sql)


@pytest.mark.parametrize("sql", [sql for sql, _ in ALLOWED])
def test_accepted_statements_run_on_the_serving_file(published, sql):
    result = sql_queries.run(sql)
    assert not result.truncated and len(result.frame) >= 1


@pytest.mark.parametrize("sql,key", [f for f in FORBIDDEN if f[0].strip()][:30:3])
def test_run_refuses_before_running(published, tmp_path, monkeypatch, sql, key):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(sql_queries.Refused) as refusal:
        sql_queries.run(sql)
    assert refusal.value.key == key
    assert list(tmp_path.iterdir()) == []


def test_wrap_limits_to_one_row_over_the_limit():
    wrapped = sql_queries.wrap("SELECT * FROM range(100)", 7)
    with duckdb.connect() as con:
        assert len(con.execute(wrapped).fetchall()) == 8
