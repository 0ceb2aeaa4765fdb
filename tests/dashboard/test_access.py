"""Who gets which role: config/access.yml's rules and the token's claims (spec access.md)."""

import os
import subprocess
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from dashboard.access import access_config, loopback_only, role_for
from dashboard.labels import text
from tests.conftest import APP

REPO = Path(APP).parent.parent

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


@pytest.mark.parametrize("address, only_here", [
    ("127.0.0.1", True), ("127.0.1.1", True), ("::1", True), ("localhost", True),
    ("", False), (None, False), ("0.0.0.0", False), ("::", False), ("192.168.1.10", False),
    ("kedjan.stockholm.se", False)])
def test_loopback_only(address, only_here):
    assert loopback_only(address) is only_here


def test_demo_mode_refuses_to_serve_on_a_network_address(published):
    st_config.set_option("server.address", "0.0.0.0")  # what streamlit run binds by default
    try:
        app = AppTest.from_file(APP, default_timeout=60).run()
    finally:
        st_config.set_option("server.address", "127.0.0.1")
    assert not app.exception
    assert "--server.address 127.0.0.1" in app.error[0].value
    assert not app.sidebar.selectbox and not app.title and not app.dataframe


def test_the_demo_banner_says_it_listens_on_this_machine_only(published):
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert "lyssnar bara på den här datorn (127.0.0.1)" in app.sidebar.warning[0].value


def make_dry_run(target: str, demo: bool) -> str:
    """The commands ``make target`` would run (make -n), on one line."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("KEDJAN_DEMO_MODE", "MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    if demo:
        env["KEDJAN_DEMO_MODE"] = "1"
    out = subprocess.run(["make", "-n", target], cwd=REPO, env=env, capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.replace("\\\n", " ").split())


def test_make_starts_the_demo_on_loopback_only():
    assert "--server.address 127.0.0.1" in make_dry_run("dashboard", demo=True)
    assert "--server.address 127.0.0.1" in make_dry_run("demo", demo=False)
    # With sign-in the server may listen on the network (behind the organisation's proxy).
    assert "--server.address" not in make_dry_run("dashboard", demo=False)
