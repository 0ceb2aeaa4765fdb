"""The steering pages (Översikt, KPI, Projekt, ESF-rapport) on a small real warehouse.

Every number a test reads off a page is compared with the published marts, read here
with duckdb independently of the dashboard's own queries.
"""


import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import app_as, pick_as_of, query

PAGES = ("overview.py", "kpi.py", "projects.py", "esf.py")
GENDER_SV = {"all": "Alla", "K": "Kvinnor", "M": "Män"}


def parse(shown: str) -> float | None:
    """A number as the page writes it (Swedish: '1 234', '44,6 %', '1,53', '80 054 652 kr');
    shares as 0-1; a dash or a blank cell None."""
    if shown in ("–", "", None):
        return None
    text = shown.replace("\xa0", "").replace(" ", "").removesuffix("kr").replace(",", ".")
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)


def assert_shown(shown: str, value, unit: str) -> None:
    if value is None or pd.isna(value):
        assert shown == "–"
        return
    tolerance = {"share": 0.0005, "ratio": 0.005}.get(unit, 0.05)
    assert abs(parse(shown) - value) <= tolerance, (shown, value)


def cell(value) -> str:
    """A table cell as text ('<5', '12'), whatever type the table round trip gave it."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def visible_small(value) -> bool:
    """A count from 1 to 4 shown as it is."""
    try:
        return 1 <= float(cell(value)) <= 4
    except ValueError:
        return False


def metrics(app: AppTest) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for metric in app.metric:
        found.setdefault(metric.label, []).append(metric.value)
    return found


def badges(app: AppTest) -> list[str]:
    """The text of every badge on the page (st.badge is markdown ':color-badge[:icon: text]')."""
    found = []
    for markdown in app.markdown:
        if "-badge[" in markdown.value:
            inner = markdown.value.split("-badge[", 1)[1].rsplit("]", 1)[0]
            found.append(inner.split(": ", 1)[1] if inner.startswith(":material/") else inner)
    return found


def frame_with(app: AppTest, *columns: str) -> pd.DataFrame:
    for df in app.dataframe:
        if all(c in df.value.columns for c in columns):
            return df.value
    raise AssertionError(f"no table with {columns}")


def frames_with(app: AppTest, *columns: str) -> list[pd.DataFrame]:
    return [df.value for df in app.dataframe if all(c in df.value.columns for c in columns)]


def months_between(start, end) -> int:
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    return (end.year - start.year) * 12 + end.month - start.month


def kpi_values_at(published, month_sql: str, params=()) -> list[tuple]:
    """(project, kpi, name, value, unit, target, direction) of each KPI's total at a month."""
    return query(published, f"""
        SELECT f.project_id, f.kpi_id, k.name_sv, f.value, f.unit, f.target, f.direction,
               f.numerator, f.denominator
        FROM marts.fct_kpi_monthly AS f
        JOIN marts.dim_kpi AS k USING (kpi_id)
        JOIN marts.dim_project AS p ON p.project_id = f.project_id
        WHERE f.gender = 'all' AND f.kpi_id <> 'budget_burn' AND f.month = {month_sql}""",
                 list(params))


# --- every page, every role ----------------------------------------------------------------

@pytest.mark.parametrize("role", ["styrgrupp", "projektledare", "dataansvarig", "analytiker"])
@pytest.mark.parametrize("page", PAGES)
def test_every_steering_page_renders_for_every_role(published, page, role):
    app = app_as(role, page)
    assert app.title[0].value in ("Översikt", "KPI", "Projekt", "ESF-rapport")
    assert app.dataframe or app.info


def test_english_labels_on_the_overview(published):
    app = app_as("styrgrupp", "overview.py", language="en")
    assert app.title[0].value == "Overview"
    assert {"On track", "At risk", "Behind", "Monitored"} <= set(metrics(app))


# --- Översikt ----------------------------------------------------------------------------------

def test_overview_shows_every_kpi_at_the_latest_month_as_in_the_marts(published):
    app = app_as("dataansvarig", "overview.py")
    shown = metrics(app)
    expected = kpi_values_at(published, "p.reporting_end_month")
    assert expected
    for _, _, name, value, unit, *_ in expected:
        assert len(shown[name]) == 1
        assert_shown(shown[name][0], value, unit)
    # Samspelet's trainee placements (monitored): the placements to date.
    (placements,), = query(published, """
        SELECT placements_to_date FROM marts.fct_trainee_placements_monthly AS t
        JOIN marts.dim_project AS p USING (project_id)
        WHERE t.project_id = 'SAMS' AND t.gender = 'all' AND t.month = p.reporting_end_month""")
    assert parse(shown["Traineeplatser"][0]) == placements
    # Budget: every project with a budget, at its last month, in the budget table.
    budget = frame_with(app, "Budgetförbrukning", "Förfluten andel av perioden")
    expected = query(published, """
        SELECT b.project_id, b.cumulative_cost_sek::DOUBLE, b.budget_used_share, b.elapsed_share
        FROM marts.fct_budget_monthly AS b JOIN marts.dim_project AS p USING (project_id)
        WHERE b.total_budget_sek IS NOT NULL
          AND b.month = (SELECT max(month) FROM marts.fct_budget_monthly AS m
                         WHERE m.project_id = b.project_id)""")
    assert sorted(budget["Projekt"]) == sorted(r[0] for r in expected)
    for project_id, cost, used, elapsed in expected:
        row = budget[budget["Projekt"] == project_id].iloc[0]
        assert abs(parse(row["Kostnad hittills"]) - cost) <= 0.5  # whole kronor
        assert abs(parse(row["Budgetförbrukning"]) - used) <= 0.0005  # one decimal of a %
        assert abs(parse(row["Förfluten andel av perioden"]) - elapsed) <= 0.0005


def test_overview_status_follows_the_rule_for_rates(published):
    """A rate's forecast is its latest value: on track when it meets the target; at risk
    within 90 % of it while the project runs; behind otherwise."""
    app = app_as("dataansvarig", "overview.py")
    tables = pd.concat(frames_with(app, "KPI", "Status", "Prognos"), ignore_index=True)
    rows = query(published, """
        SELECT k.name_sv, f.value, f.target, f.direction, f.month < p.last_month AS time_left
        FROM marts.fct_kpi_monthly AS f
        JOIN marts.dim_kpi AS k USING (kpi_id)
        JOIN marts.dim_project AS p ON p.project_id = f.project_id
        WHERE f.gender = 'all' AND f.unit IN ('share', 'ratio') AND f.kpi_id <> 'budget_burn'
          AND f.month = p.reporting_end_month""")
    assert rows
    for name, value, target, direction, time_left in rows:
        if target is None:
            expected = "Följs upp"
        elif value is None:
            expected = "Inget värde än"
        elif (value > target) if direction == ">" else (value >= target):
            expected = "På väg"
        elif (time_left is None or time_left) and value >= 0.9 * target:
            expected = "I riskzonen"
        else:
            expected = "Efter"
        assert tables.loc[tables["KPI"] == name, "Status"].tolist() == [expected], name


def test_as_of_picker_shows_the_page_as_it_stood_at_that_month(published):
    ((first, last),) = query(published, "SELECT first_month, last_month FROM marts.dim_project "
                                         "WHERE project_id = 'ETST'")
    as_of = pd.Timestamp(first) + pd.DateOffset(months=20)
    app = app_as("dataansvarig", "overview.py")
    pick_as_of(app, as_of)
    assert not app.exception
    shown = metrics(app)
    expected = [r for r in kpi_values_at(published, "?", (as_of.date(),)) if r[0] == "ETST"]
    assert expected
    for _, _, name, value, unit, *_ in expected:
        assert_shown(shown[name][0], value, unit)
    latest = kpi_values_at(published, "p.reporting_end_month")
    assert any(parse(shown[r[2]][0]) != pytest.approx(r[3], abs=0.001)
               for r in latest if r[0] == "ETST" and r[3] is not None)
    # HEART had ended: its final figures; projects that start later had not started.
    for _, _, name, value, unit, *_ in (r for r in latest if r[0] == "HEART"):
        assert_shown(shown[name][0], value, unit)
    later = query(published, "SELECT count(*) FROM marts.dim_project WHERE first_month > ?",
                  [as_of.date()])[0][0]
    assert later >= 2  # Entry Hub and Samspelet
    assert len([i for i in app.info if "hade inte startat" in i.value]) == later
    # T3 (people in instegsjobb/nystartsjobb in the month): the forecast to the project's
    # end at the pace of the last 6 months.
    values = dict(query(published, """
        SELECT month, value FROM marts.fct_kpi_monthly
        WHERE project_id = 'ETST' AND kpi_id = 'etst_subsidised_jobs' AND gender = 'all'
          AND month <= ?""", [as_of.date()]))
    now, before = values[as_of.date()], values[(as_of - pd.DateOffset(months=6)).date()]
    forecast = max(0.0, now + (now - before) / 6 * months_between(as_of, last))
    tables = pd.concat(frames_with(app, "KPI", "Prognos"), ignore_index=True)
    shown_forecast = tables.loc[tables["KPI"] == "Deltagare i instegsjobb eller nystartsjobb",
                                "Prognos"].iloc[0]
    assert abs(parse(shown_forecast) - forecast) <= 0.05
    # Budget: the cost to date at that month.
    budget = frame_with(app, "Budgetförbrukning", "Kostnad hittills")
    ((cost,),) = query(published, "SELECT cumulative_cost_sek::DOUBLE FROM marts.fct_budget_monthly "
                                   "WHERE project_id = 'ETST' AND month = ?", [as_of.date()])
    assert abs(parse(budget.loc[budget["Projekt"] == "ETST", "Kostnad hittills"].iloc[0]) - cost) \
        <= 0.5


def test_steering_group_sees_a_small_count_as_less_than_five(published):
    ((month, value),) = query(published, """
        SELECT month, value FROM marts.fct_kpi_monthly
        WHERE kpi_id = 'etst_subsidised_jobs' AND gender = 'all' AND value BETWEEN 1 AND 4
        ORDER BY month LIMIT 1""")
    name = "Deltagare i instegsjobb eller nystartsjobb"
    ((status, forecast),) = query(published, """
        SELECT status, forecast_value FROM marts.fct_kpi_status
        WHERE kpi_id = 'etst_subsidised_jobs' AND gender = 'all' AND month = ?""", [month])
    labels = {"on_track": "På väg", "at_risk": "I riskzonen", "behind": "Efter"}
    for role, expected, expected_status in (("styrgrupp", "<5", "Skyddat (små tal)"),
                                            ("dataansvarig", str(int(value)), labels[status])):
        app = app_as(role, "overview.py")
        pick_as_of(app, pd.Timestamp(month))
        assert not app.exception
        assert metrics(app)[name] == [expected]
        tables = pd.concat(frames_with(app, "KPI", "Täljare"), ignore_index=True)
        row = tables[tables["KPI"] == name].iloc[0]
        assert cell(row["Täljare"]) == expected
        # The status and forecast tell which side of the target a hidden count lies.
        assert row["Status"] == expected_status
        assert (row["Prognos"] == "–") == (role == "styrgrupp")
        if role == "dataansvarig":
            assert abs(parse(row["Prognos"]) - forecast) <= 0.05


def test_steering_group_gets_no_status_computed_from_a_hidden_count(published):
    """T3's status as of a month whose own count is shown but whose pace window (the 6
    months before) holds a hidden one: 'Skyddat' for the steering group, the mart's for
    the data steward."""
    months = query(published, """
        SELECT s.month FROM marts.fct_kpi_status AS s
        WHERE s.kpi_id = 'etst_subsidised_jobs' AND s.gender = 'all' AND s.value >= 5
          AND EXISTS (SELECT 1 FROM marts.fct_kpi_monthly AS m
                      WHERE m.kpi_id = s.kpi_id AND m.gender = 'all' AND m.value BETWEEN 1 AND 4
                        AND m.month BETWEEN s.inputs_from_month AND s.month)
        ORDER BY s.month""")
    assert months, "the demo delivery has such a month"
    name = "Deltagare i instegsjobb eller nystartsjobb"
    app = app_as("styrgrupp", "overview.py")
    checked = 0
    for (month,) in months[-3:]:
        pick_as_of(app, pd.Timestamp(month))
        if metrics(app)[name][0] in ("<5", ".."):
            continue  # hidden itself (secondary suppression): not the case under test
        tables = pd.concat(frames_with(app, "KPI", "Status"), ignore_index=True)
        row = tables[tables["KPI"] == name].iloc[0]
        assert (row["Status"], row["Prognos"]) == ("Skyddat (små tal)", "–"), month
        checked += 1
    assert checked


def test_project_manager_sees_only_their_projects_on_the_overview(published):
    app = app_as("projektledare", "overview.py")  # demo default: the first project, EHUB
    ((name,),) = query(published, "SELECT name_sv FROM marts.dim_project WHERE project_id = 'EHUB'")
    assert [s.value for s in app.subheader if s.value != "Antal KPI:er per status, alla projekt"
            and not s.value.startswith("Budget")] == [name]


# --- KPI -------------------------------------------------------------------------------------

def test_kpi_page_table_and_definition_equal_the_marts(published):
    app = app_as("dataansvarig", "kpi.py")
    app.selectbox(key="kpi_choice").set_value("ETST:etst_self_supporting_18m").run()
    assert not app.exception
    ((definition,),) = query(published, "SELECT definition_sv FROM marts.dim_kpi "
                                         "WHERE kpi_id = 'etst_self_supporting_18m'")
    assert any(definition in m.value for m in app.markdown)
    table = frame_with(app, "Täljare", "Nämnare", "Mål nått")
    expected = query(published, """
        SELECT strftime(month, '%Y-%m'), gender, numerator, denominator, value
        FROM marts.fct_kpi_monthly WHERE kpi_id = 'etst_self_supporting_18m'
        ORDER BY month DESC, CASE gender WHEN 'all' THEN 0 WHEN 'K' THEN 1 ELSE 2 END""")
    assert len(table) == len(expected)
    for (_, row), (month, gender, numerator, denominator, value) in zip(table.iterrows(), expected):
        assert row["Månad"] == _short_month(month) and row["Kön"] == GENDER_SV[gender]
        assert parse(row["Täljare"]) == numerator and parse(row["Nämnare"]) == denominator
        assert (row["Värde"] == "" and value is None) or abs(parse(row["Värde"]) - value) <= 0.0005
    latest = next(r for r in expected if r[1] == "all")
    assert_shown(metrics(app)[f"Senaste värde ({_short_month(latest[0])})"][0], latest[4], "share")


def _short_month(year_month: str) -> str:
    """CLDR's abbreviated Swedish month and the year, written out here."""
    names = ("jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.",
             "nov.", "dec.")
    year, month = year_month.split("-")
    return f"{names[int(month) - 1]} {year}"


def test_kpi_page_shows_t2_participants_beside_the_comparison_group(published):
    app = app_as("dataansvarig", "kpi.py")
    app.selectbox(key="kpi_choice").set_value("ETST:etst_transition_ratio").run()
    assert not app.exception
    table = frame_with(app, "Deltagarnas andel", "Jämförelsegruppens andel",
                       "Jämförelsegrupp: inskrivna")
    expected = query(published, """
        SELECT strftime(month, '%Y-%m'), gender, numerator, denominator, value, reference_value
        FROM marts.fct_kpi_monthly WHERE kpi_id = 'etst_transition_ratio'
        ORDER BY month DESC, CASE gender WHEN 'all' THEN 0 WHEN 'K' THEN 1 ELSE 2 END""")
    assert len(table) == len(expected)
    for (_, row), (month, gender, numerator, denominator, value, reference) in zip(
            table.iterrows(), expected):
        assert row["Månad"] == _short_month(month) and row["Kön"] == GENDER_SV[gender]
        assert parse(row["Deltagare: täljare"]) == numerator
        assert parse(row["Deltagare: nämnare"]) == denominator
        if denominator:
            assert abs(parse(row["Deltagarnas andel"]) - numerator / denominator) <= 0.0005
        if reference is None:
            assert row["Jämförelsegruppens andel"] == ""
        else:
            assert abs(parse(row["Jämförelsegruppens andel"]) - reference) <= 0.0005
            assert parse(row["Jämförelsegrupp: till arbete + utbildning"]) / \
                parse(row["Jämförelsegrupp: inskrivna"]) == pytest.approx(reference)
        if value is not None:
            assert abs(parse(row["Kvot"]) - value) <= 0.005


def test_kpi_page_protects_small_counts_for_the_steering_group(published):
    app = app_as("styrgrupp", "kpi.py")
    app.selectbox(key="kpi_choice").set_value("ETST:etst_subsidised_jobs").run()
    assert not app.exception
    table = frame_with(app, "Täljare", "Mål nått")
    small = query(published, """
        SELECT strftime(month, '%Y-%m'), gender FROM marts.fct_kpi_monthly
        WHERE kpi_id = 'etst_subsidised_jobs' AND value BETWEEN 1 AND 4""")
    assert small
    for month, gender in small:
        row = table[(table["Månad"] == _short_month(month))
                    & (table["Kön"] == GENDER_SV[gender])].iloc[0]
        assert cell(row["Täljare"]) == "<5" and cell(row["Värde"]) == "<5"
    assert not any(visible_small(v) for v in table["Täljare"])
    assert not any(visible_small(v) for v in table["Värde"])


# --- Projekt ---------------------------------------------------------------------------------

def project_tab(app: AppTest, label: str) -> AppTest:
    """The Projekt page with tab ``label`` open (the tabs keep their state, as a click would)."""
    app.session_state["projects_tab"] = label
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_projects_page_builds_only_the_open_tab(published):
    app = app_as("dataansvarig", "projects.py")
    assert "Kontaktade arbetsgivare" in metrics(app)  # HEART, the first tab
    assert "Traineeplatser hittills" not in metrics(app)
    shown = metrics(project_tab(app, "Samspelet"))
    assert "Traineeplatser hittills" in shown and "Kontaktade arbetsgivare" not in shown


def test_projects_page_numbers_equal_the_marts(published):
    app = app_as("dataansvarig", "projects.py")
    shown = metrics(app)
    heart = dict(((k, g), v) for k, g, v in query(published, """
        SELECT kpi_id, gender, value FROM marts.fct_kpi_monthly AS f
        JOIN marts.dim_project AS p USING (project_id)
        WHERE f.project_id = 'HEART' AND f.month = p.reporting_end_month"""))
    names = dict(query(published, "SELECT kpi_id, name_sv FROM marts.dim_kpi"))
    for kpi_id in ("heart_employers", "heart_interviews", "heart_cities", "heart_study_visits"):
        assert parse(shown[names[kpi_id]][0]) == heart[(kpi_id, "all")]
    assert parse(shown["Intervjuer, kvinnor"][0]) == heart[("heart_interviews", "K")]
    assert parse(shown["Intervjuer, män"][0]) == heart[("heart_interviews", "M")]
    targets = dict(query(published, """
        SELECT gender, target FROM marts.fct_kpi_monthly AS f JOIN marts.dim_project AS p
        USING (project_id) WHERE kpi_id = 'heart_interviews' AND f.month = p.reporting_end_month"""))
    assert f"**Intervjuer per kön mot målen {targets['K']:.0f} kvinnor och {targets['M']:.0f} män**" \
        in [m.value for m in app.markdown]

    ehub = dict(((k, g), (v, n, d, e)) for k, g, v, n, d, e in query(published, """
        SELECT kpi_id, gender, value, numerator, denominator, excluded_count
        FROM marts.fct_kpi_monthly AS f JOIN marts.dim_project AS p USING (project_id)
        WHERE f.project_id = 'EHUB' AND f.month = p.reporting_end_month"""))
    shown = metrics(project_tab(app, "Entry Hub"))
    assert parse(shown[names["ehub_hires"]][0]) == ehub[("ehub_hires", "all")][0]
    assert_shown(shown[names["ehub_women_share"]][0], ehub[("ehub_women_share", "all")][0], "share")
    assert parse(shown["Besökare med okänt kön (utanför andelen)"][0]) == \
        ehub[("ehub_women_share", "all")][3]
    cities = frame_with(app, "Stad", "Andel kvinnor", "Känt kön")
    expected = query(published, """
        SELECT city, women_to_date, men_to_date, known_gender_to_date, women_share_to_date,
               unknown_gender_to_date
        FROM marts.fct_entry_hub_visitors_monthly
        WHERE project_id = 'EHUB' AND month = (SELECT max(month)
                                               FROM marts.fct_entry_hub_visitors_monthly)
        ORDER BY city""")
    assert sorted(cities["Stad"]) == [r[0] for r in expected]
    for city, women, men, known, share, unknown in expected:
        row = cities[cities["Stad"] == city].iloc[0]
        assert tuple(parse(row[c]) for c in ("Kvinnor", "Män", "Känt kön", "Okänt kön")) == \
            (women, men, known, unknown)
        assert abs(parse(row["Andel kvinnor"]) - share) <= 0.0005
        assert known == women + men

    placements = dict(query(published, """
        SELECT gender, placements_to_date FROM marts.fct_trainee_placements_monthly
        WHERE project_id = 'SAMS'
          AND month = (SELECT reporting_end_month FROM marts.dim_project
                       WHERE project_id = 'SAMS')"""))
    shown = metrics(project_tab(app, "Samspelet"))
    assert parse(shown["Traineeplatser hittills"][0]) == placements["all"]
    assert placements["all"] == placements["K"] + placements["M"]
    ((forums,),) = query(published, "SELECT target FROM marts.dim_kpi "
                                    "WHERE kpi_id = 'wlfs_dialogue_forums'")
    assert parse(metrics(project_tab(app, "WLFS"))["Dialogforum"][0]) == forums == 6


def test_projects_page_hides_small_entry_hub_counts_from_the_steering_group(published):
    app = project_tab(app_as("styrgrupp", "projects.py"), "Entry Hub")
    table = frame_with(app, "Stad", "Besökare under månaden", "Kvinnor under månaden")
    counts = table[["Besökare under månaden", "Kvinnor under månaden", "Män under månaden",
                    "Okänt kön under månaden"]]
    assert not counts.map(visible_small).any().any()
    # A suppressed part is never alone in its row: it could be worked out from the total.
    parts = counts.drop(columns="Besökare under månaden")
    assert not (parts.map(lambda v: cell(v) in ("<5", "..")).sum(axis=1) == 1).any()


# --- ESF-rapport ------------------------------------------------------------------------------

INDICATORS = ["participants_started", "aged_under_25", "aged_25_54", "aged_over_54",
              "isced_0_2", "isced_3_4", "isced_5_8", "education_unknown", "participants_left",
              "left_in_education", "left_in_employment", "left_six_month_follow_up_due",
              "employed_six_months_after_leaving"]


def esf_expected(published, project_id, period) -> dict:
    rows = query(published, f"""
        SELECT gender, {", ".join(INDICATORS)} FROM marts.fct_esf_indicators
        WHERE project_id = ? AND reporting_period = ?""", [project_id, period])
    return {gender: dict(zip(INDICATORS, values)) for gender, *values in rows}


def test_esf_table_equals_the_marts_for_every_project_and_period(published):
    app = app_as("dataansvarig", "esf.py")
    pairs = query(published, "SELECT DISTINCT project_id, reporting_period "
                             "FROM marts.fct_esf_indicators ORDER BY 1, 2")
    assert pairs
    for project_id, period in pairs:
        app.selectbox(key="esf_project").set_value(project_id).run()
        app.selectbox(key="esf_period").set_value(period).run()
        assert not app.exception
        table = frame_with(app, "Kod", "Kvinnor", "Män", "Totalt").set_index("Kod")
        expected = esf_expected(published, project_id, period)
        assert list(table.index) == INDICATORS
        for code in INDICATORS:
            assert tuple(parse(table.loc[code, c]) for c in ("Kvinnor", "Män", "Totalt")) \
                == (expected["K"][code], expected["M"][code], expected["all"][code]), \
                (project_id, period, code)


def test_esf_table_protects_small_counts_and_their_complements(published):
    app = app_as("styrgrupp", "esf.py")
    suppressed = 0
    for project_id, period in query(published, "SELECT DISTINCT project_id, reporting_period "
                                               "FROM marts.fct_esf_indicators"):
        app.selectbox(key="esf_project").set_value(project_id).run()
        app.selectbox(key="esf_period").set_value(period).run()
        table = frame_with(app, "Kod", "Kvinnor", "Män", "Totalt").set_index("Kod")
        expected = esf_expected(published, project_id, period)
        for code in INDICATORS:
            for column, gender in (("Kvinnor", "K"), ("Män", "M"), ("Totalt", "all")):
                shown, value = cell(table.loc[code, column]), expected[gender][code]
                if 1 <= value <= 4:
                    assert shown in ("<5", "..")  # '..' where even '<5' would tell too much
                    suppressed += 1
                else:  # never '<5' for a number that is not small
                    assert shown in (str(value), ".."), (project_id, period, code, column)
        hidden = table[["Kvinnor", "Män", "Totalt"]].map(lambda v: cell(v) in ("<5", ".."))
        values = pd.DataFrame({"Kvinnor": expected["K"], "Män": expected["M"],
                               "Totalt": expected["all"]}).loc[table.index]
        small = values.map(lambda v: 1 <= v <= 4)
        # K or M alone hidden beside a shown total is recoverable by subtraction: never a
        # small count (a '..' that is 0 or 5 and more gives no one away).
        alone = (hidden["Kvinnor"] ^ hidden["Män"]) & ~hidden["Totalt"]
        assert not (alone & (small["Kvinnor"] | small["Män"])).any(), table[alone]
        # Likewise an age group alone hidden beside a shown number of starters.
        ages = ["aged_under_25", "aged_25_54", "aged_over_54"]
        alone = (hidden.loc[ages].sum() == 1) & ~hidden.loc["participants_started"]
        assert not (alone & (hidden.loc[ages] & small.loc[ages]).any()).any()
    assert suppressed, "the test warehouse should hold a small ESF count"


# --- a delivery with one project's sources missing (issue 13.1) ------------------------------

@pytest.fixture(scope="module")
def without_heart(tmp_path_factory):
    """The demo delivery of ``demo_warehouse`` without HEART's mapping file and without
    HEART's cost rows, refreshed for real; the serving file."""
    from rich.console import Console

    from ingest.generate import generate
    from refresh import pipeline
    from tests.conftest import TEST_KEY

    root = tmp_path_factory.mktemp("without_heart")
    exports = root / "exports"
    generate(scale="demo", seed=5, out=exports, participants=400)
    mapping = list(exports.glob("partner_heart_kartlaggning_*"))
    assert mapping
    for path in mapping:
        path.unlink()
    for path in exports.glob("ekonomi_utfall_*.csv"):
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(b"".join(line for line in lines if not line.startswith(b"HEART;")))
    warehouse = root / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KEDJAN_PSEUDONYM_KEY", TEST_KEY)
        console = Console(record=True, width=200, force_terminal=False)
        assert pipeline.run(exports, warehouse, console) == 0, console.export_text()
    return warehouse


def test_kpis_without_delivered_sources_say_so_instead_of_zero(without_heart, monkeypatch):
    import settings

    monkeypatch.setenv("WAREHOUSE", str(without_heart))
    monkeypatch.setenv("KEDJAN_DEMO_MODE", "1")
    serving = settings.serving(without_heart)
    heart = query(serving, """
        SELECT k.name_sv, s.status, s.value, s.missing_sources
        FROM marts.fct_kpi_status AS s JOIN marts.dim_kpi AS k USING (kpi_id)
        WHERE s.project_id = 'HEART' AND s.gender = 'all'
          AND s.month = (SELECT max(month) FROM marts.fct_kpi_status WHERE project_id = 'HEART')
        ORDER BY k.sort_order""")
    # HEART's four counts and its budget: no data, no value (the monthly mart would say 0).
    assert [(status, value, missing) for _, status, value, missing in heart] == [
        ("no_data", None, "partner_heart_kartlaggning")] * 4 + [("no_data", None, "ekonomi_utfall")]
    app = app_as("dataansvarig", "overview.py")
    shown = metrics(app)
    for name, *_ in heart[:4]:
        assert shown[name] == ["–"], name
    assert badges(app).count("Inga data levererade: partner_heart_kartlaggning") == 4
    assert badges(app).count("Inga data levererade: ekonomi_utfall") == 1
    # Each project's data date is its own: ETST's ends with the project, HEART has none.
    (dates,) = [c.value for c in app.caption if c.value.startswith("Data till och med:")]
    assert "Etablering Stockholm januari 2014" in dates
    assert "HEART Employment, förprojektering inga data" in dates
    # Datakvalitet lists the missing sources with the KPIs they leave without data.
    quality = app_as("dataansvarig", "data_quality.py")
    table = frame_with(quality, "Filtyp", "KPI:er utan data")
    assert sorted(zip(table["Projekt"], table["Filtyp"])) == [
        ("HEART", "ekonomi_utfall"), ("HEART", "partner_heart_kartlaggning")]
    names = table.loc[table["Filtyp"] == "partner_heart_kartlaggning", "KPI:er utan data"].iloc[0]
    assert names == ", ".join(name for name, *_ in heart[:4])
