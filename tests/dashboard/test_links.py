"""Links that open the same view (issue 12): a page's selections are in its address.

Every selection widget is bound to a query parameter named by its key
(``bind="query-params"``), whose value is the option as the page writes it in the link's
language (``language=English`` travels with an English link). A link is the address a
user sees: these tests open the app with those parameters (AppTest's query_params are the
address's) and compare the page with one where the same choices were made by hand. A
parameter is only ever a choice among the options the viewer already has: it cannot
widen access, pick a role or switch on demo mode.
"""

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import formats
from dashboard.labels import text
from tests.conftest import APP, app_as, pick_as_of, query


def from_link(page: str, params: dict, role: str, projects: list[str] | None = None) -> AppTest:
    """The app opened at ``page`` with the link's query ``params``, signed in (demo mode)
    as ``role``; no language set by hand."""
    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state["demo_role"] = role
    if projects is not None:
        app.session_state["demo_projects"] = projects
    app.query_params.update(params)
    app.run()
    app.switch_page(f"app_pages/{page}")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def shown(app: AppTest) -> list:
    """What a page shows: its headings, texts, metrics, badges and tables."""
    return ([h.value for h in app.subheader] + [m.value for m in app.markdown]
            + [c.value for c in app.caption] + [(m.label, m.value) for m in app.metric]
            + [df.value.to_csv() for df in app.dataframe])


def sv_month(month, long: bool = False) -> str:
    return formats.month(month, long=long, lang="sv")


def test_a_link_opens_the_overview_at_its_month(published):
    months = [pd.Timestamp(m) for (m,) in query(published, """
        SELECT DISTINCT month FROM marts.fct_kpi_status ORDER BY month""")]
    month = months[len(months) // 2]
    app = from_link("overview.py", {"as_of_year": str(month.year),
                                    "as_of_month": formats.month_name(month.month, "sv")},
                    "styrgrupp")
    assert (app.selectbox(key="as_of_year").value, app.selectbox(key="as_of_month").value) == \
        (month.year, month.month)
    by_hand = app_as("styrgrupp", "overview.py")
    pick_as_of(by_hand, month)
    assert shown(app) == shown(by_hand)
    # ... and differs from the page's default, so the parameter did something
    assert shown(app) != shown(app_as("styrgrupp", "overview.py"))


def test_the_as_of_month_follows_the_user_to_the_kpi_page(published):
    months = [pd.Timestamp(m) for (m,) in query(published, """
        SELECT DISTINCT month FROM marts.fct_kpi_monthly WHERE project_id = 'ETST'
        ORDER BY month""")]
    month = months[len(months) // 2]
    app = app_as("styrgrupp", "overview.py")
    pick_as_of(app, month)
    app.switch_page("app_pages/kpi.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert (app.selectbox(key="as_of_year").value, app.selectbox(key="as_of_month").value) == \
        (month.year, month.month)
    latest = [m.label for m in app.metric if m.label.startswith("Senaste värde")]
    assert latest == [text("kpi_latest", "sv").format(month=formats.month(month, lang="sv"))]


def test_a_link_opens_the_kpi_page_at_its_kpi(published):
    (project_id, kpi_id, name), = query(published, """
        SELECT project_id, kpi_id, name_sv FROM marts.dim_kpi
        WHERE project_id = 'ETST' AND kpi_id = 'etst_transition_ratio'""")
    app = from_link("kpi.py", {"kpi_choice": f"{project_id} · {name}"}, "analytiker")
    assert app.selectbox(key="kpi_choice").value == f"{project_id}:{kpi_id}"
    by_hand = app_as("analytiker", "kpi.py")
    by_hand.selectbox(key="kpi_choice").set_value(f"{project_id}:{kpi_id}").run()
    assert shown(app) == shown(by_hand)
    assert shown(app) != shown(app_as("analytiker", "kpi.py"))


def test_an_english_link_opens_in_english(published):
    """(AppTest formats a widget's options outside the page's run, in Swedish: the English
    page is compared by what it shows, not by choices made by hand.)"""
    app = from_link("kpi.py", {"language": "English"}, "analytiker")
    assert app.radio(key="language").value == "en"
    assert app.title[0].value == text("kpi", "en")
    assert shown(app) == shown(app_as("analytiker", "kpi.py", language="en"))


def test_a_link_opens_kedjan_with_its_filters_and_split(published):
    params = {"funnel_project": "ETST – " + query(published, """
                  SELECT name_sv FROM marts.dim_project WHERE project_id = 'ETST'""")[0][0],
              "funnel_gender": [text("group_M", "sv")], "funnel_split": text("funnel_age", "sv")}
    app = from_link("funnel.py", params, "projektledare", projects=["ETST"])
    assert app.multiselect(key="funnel_gender").value == ["M"]
    assert app.selectbox(key="funnel_split").value == "age_group"
    by_hand = app_as("projektledare", "funnel.py", projects=["ETST"])
    by_hand.multiselect(key="funnel_gender").set_value(["M"]).run()
    by_hand.selectbox(key="funnel_split").set_value("age_group").run()
    assert shown(app) == shown(by_hand)
    assert shown(app) != shown(app_as("projektledare", "funnel.py", projects=["ETST"]))


def test_a_link_opens_the_esf_report_at_its_period(published):
    periods = [p for (p,) in query(published, """
        SELECT DISTINCT reporting_period FROM marts.fct_esf_indicators
        WHERE project_id = 'ETST' AND reporting_period <> 'total' ORDER BY 1""")]
    app = from_link("esf.py", {"esf_period": periods[0]}, "styrgrupp")
    assert app.selectbox(key="esf_period").value == periods[0]
    by_hand = app_as("styrgrupp", "esf.py")
    by_hand.selectbox(key="esf_period").set_value(periods[0]).run()
    assert shown(app) == shown(by_hand)


def test_a_link_cannot_open_a_project_the_viewer_may_not_see(published):
    """A manager of ETST given a link to HEART's chain sees ETST's, as without the link."""
    heart = query(published, "SELECT name_sv FROM marts.dim_project WHERE project_id = 'HEART'")
    app = from_link("funnel.py", {"funnel_project": f"HEART – {heart[0][0]}"}, "projektledare",
                    projects=["ETST"])
    assert app.selectbox(key="funnel_project").value == "ETST"
    assert app.selectbox(key="funnel_project").options == ["ETST – " + query(published, """
        SELECT name_sv FROM marts.dim_project WHERE project_id = 'ETST'""")[0][0]]
    assert shown(app) == shown(app_as("projektledare", "funnel.py", projects=["ETST"]))


def test_a_managers_filtered_link_shows_the_steering_group_its_fixed_view(published):
    """The steering group has no filters (a freely chosen selection could be differenced to
    give a hidden count back): the link's filters are ignored, not applied."""
    app = from_link("funnel.py", {"funnel_gender": [text("group_M", "sv")]}, "styrgrupp")
    assert not [w for w in app.multiselect if w.key == "funnel_gender"]
    assert shown(app) == shown(app_as("styrgrupp", "funnel.py"))


ROLE_AND_DEMO = {"demo_role": "dataansvarig", "role": "dataansvarig", "demo": "1",
                 "KEDJAN_DEMO_MODE": "1", "demo_projects": "EHUB", "kedjan_user": "x"}


def test_a_role_or_demo_parameter_changes_nothing(published):
    app = from_link("overview.py", ROLE_AND_DEMO, "styrgrupp")
    assert app.session_state["kedjan_user"].role == "styrgrupp"
    assert app.selectbox(key="demo_role").value == "styrgrupp"
    assert shown(app) == shown(app_as("styrgrupp", "overview.py"))


def test_a_demo_parameter_does_not_switch_on_demo_mode(published, monkeypatch):
    monkeypatch.delenv("KEDJAN_DEMO_MODE")
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params.update(ROLE_AND_DEMO)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert [b.label for b in app.button] == ["Logga in / Sign in"]
    assert not app.sidebar.warning and not [w for w in app.selectbox if w.key == "demo_role"]
    assert "kedjan_user" not in app.session_state


@pytest.mark.parametrize("role, page", [
    ("styrgrupp", "overview.py"), ("styrgrupp", "kpi.py"), ("styrgrupp", "projects.py"),
    ("styrgrupp", "esf.py"), ("projektledare", "funnel.py"), ("analytiker", "sql.py"),
    ("dataansvarig", "data_quality.py"), ("dataansvarig", "delivery.py")])
def test_every_page_has_a_copy_link_button(published, role, page):
    app = app_as(role, page)
    buttons = [e for e in app.get("html") if "kedjan-copy-link" in e.proto.body]
    assert len(buttons) == 1, page
    assert text("copy_link", "sv") in buttons[0].proto.body
