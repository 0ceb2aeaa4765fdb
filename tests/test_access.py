"""Who gets which role: config/access.yml's rules and the token's claims (spec access.md)."""

from streamlit.testing.v1 import AppTest

from dashboard.access import access_config, role_for
from dashboard.labels import text
from tests.conftest import APP

CONFIG = {
    "group_claim": "groups",
    "rules": [
        {"email": "dataansvarig@stockholm.se", "role": "dataansvarig"},
        {"group": "kedjan-styrgrupp", "role": "styrgrupp"},
        {"group": "kedjan-projektledare-etst", "role": "projektledare", "projects": ["ETST"]},
    ],
}
STEWARD = "dataansvarig@stockholm.se"


def test_an_email_rule_needs_a_verified_email():
    assert role_for(STEWARD, [], CONFIG, email_verified=True) == ("dataansvarig", ())
    assert role_for("Dataansvarig@Stockholm.SE", [], CONFIG, email_verified="true")[0] == "dataansvarig"
    for unverified in (None, False, "false", 1, "yes"):
        assert role_for(STEWARD, [], CONFIG, email_verified=unverified) == (None, ()), unverified


def test_the_config_can_trust_an_idp_that_verifies_every_email():
    assert role_for(STEWARD, [], dict(CONFIG, idp_verifies_email=True)) == ("dataansvarig", ())
    assert role_for(STEWARD, [], dict(CONFIG, idp_verifies_email="yes")) == (None, ())  # only true
    assert access_config()["idp_verifies_email"] is False  # the shipped config: require it


def test_group_rules_do_not_depend_on_the_email():
    assert role_for("someone@example.com", ["kedjan-styrgrupp"], CONFIG) == ("styrgrupp", ())
    assert role_for(None, ["kedjan-projektledare-etst"], CONFIG) == ("projektledare", ("ETST",))
    # An unverified e-mail of the steward falls through to the user's group rule.
    assert role_for(STEWARD, ["kedjan-styrgrupp"], CONFIG, email_verified=False) == ("styrgrupp", ())


def signed_in(claims: dict) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.user = {"is_logged_in": True, **claims}
    return app.run()


def test_a_signed_in_user_with_an_unverified_email_gets_no_role(published, monkeypatch):
    monkeypatch.delenv("KEDJAN_DEMO_MODE")
    app = signed_in({"email": STEWARD, "email_verified": False})
    assert not app.exception
    assert [e.value for e in app.error] == [text("no_role", "sv")]
    assert not app.dataframe
    app.switch_page("app_pages/data_quality.py")  # asking for a page changes nothing
    app.run()
    assert [e.value for e in app.error] == [text("no_role", "sv")] and not app.title


def test_a_signed_in_user_with_a_verified_email_gets_the_role(published, monkeypatch):
    monkeypatch.delenv("KEDJAN_DEMO_MODE")
    app = signed_in({"email": STEWARD, "email_verified": True})
    assert not app.exception and not app.error
    app.switch_page("app_pages/data_quality.py")
    assert app.run().title[0].value == "Datakvalitet"
