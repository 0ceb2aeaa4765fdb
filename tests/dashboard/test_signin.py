"""Sign-in end to end: Streamlit's OpenID Connect login against a mock provider, offline.

oidc-provider-mock (a small OpenID provider for tests) runs in this process on loopback;
the dashboard runs as in production (no demo mode) from a temporary folder holding its
.streamlit/secrets.toml with [auth] and a copy of the repository's config.toml, so no
secrets file is ever written into the repository. Headless Debian Chromium signs in as
users of config/access.yml's rules and checks the pages each one gets.
"""

import os
import secrets
import shutil
import threading
import urllib.parse

import pytest
import werkzeug.serving
from oidc_provider_mock import User
from oidc_provider_mock import app as oidc_app

import settings
from dashboard.labels import text
from tests.live import ARTIFACTS, REPO, chromium, free_port, http_get, streamlit_server

pytestmark = pytest.mark.browser

# Subject -> claims in the ID token, as the provider's authorize form hands them out.
USERS = {
    "steward": {"email": "dataansvarig@stockholm.se", "email_verified": True},
    "steering": {"email": "ledamot@example.se", "email_verified": True,
                 "groups": ["kedjan-styrgrupp"]},
    "stranger": {"email": "okand@example.se", "email_verified": True, "groups": ["andra"]},
    # The steward's address, but the provider has not verified that this user owns it.
    "impostor": {"email": "dataansvarig@stockholm.se", "email_verified": False},
}
STEERING_PAGES = ["Översikt", "Kedjan", "KPI", "Projekt", "ESF-rapport"]
STEWARD_PAGES = STEERING_PAGES + ["Datakvalitet", "Leverans", "SQL"]


@pytest.fixture(scope="module")
def provider():
    """The mock OpenID provider on 127.0.0.1 (a free port), in a thread."""
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # the provider's Authlib: plain http on loopback
    app = oidc_app(user_claims=[User(sub=sub, claims=claims) for sub, claims in USERS.items()])
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)


@pytest.fixture(scope="module")
def server(demo_warehouse, provider, tmp_path_factory):
    """The dashboard with sign-in, run from a folder with its own .streamlit/."""
    site = tmp_path_factory.mktemp("site")
    (site / ".streamlit").mkdir()
    shutil.copy(REPO / ".streamlit" / "config.toml", site / ".streamlit" / "config.toml")
    port = free_port()
    (site / ".streamlit" / "secrets.toml").write_text(f"""\
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "kedjan-test"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "{provider}/.well-known/openid-configuration"
""", encoding="utf-8")
    # As in production: no demo mode, and the app's Authlib keeps its transport checks.
    env = {k: v for k, v in os.environ.items()
           if k not in ("KEDJAN_DEMO_MODE", "AUTHLIB_INSECURE_TRANSPORT")}
    env.update(WAREHOUSE=str(demo_warehouse), NO_PROXY="127.0.0.1,localhost",
               no_proxy="127.0.0.1,localhost")
    with streamlit_server(env, "streamlit-signin.log", cwd=site, port=port) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def sign_in(browser, server: str, sub: str):
    """A fresh browser session signed in as ``sub`` through the provider's form."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(server)
    page.get_by_role("button", name="Logga in / Sign in").click(timeout=60_000)
    page.wait_for_url("**/oauth2/authorize**", timeout=60_000)  # the provider's form
    page.fill("input[name=sub]", sub)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{server}/**", timeout=60_000)  # back in the app
    page.get_by_role("button", name="Logga ut / Sign out").wait_for(timeout=90_000)
    return context, page


def navigation(page) -> list[str]:
    return [t.strip() for t in page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()]


@pytest.mark.parametrize("sub, pages", [("steward", STEWARD_PAGES), ("steering", STEERING_PAGES)])
def test_a_user_signs_in_and_gets_the_pages_of_their_role(browser, server, sub, pages):
    context, page = sign_in(browser, server, sub)
    try:
        page.locator('[data-testid="stSidebarNavLink"]').first.wait_for(timeout=90_000)
        assert navigation(page) == pages
        page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=90_000)
        assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == "Översikt"
        page.screenshot(path=str(ARTIFACTS / f"signin-{sub}.png"), full_page=True)
        if "Datakvalitet" in pages:  # the data steward's Data Docs, drawn by the server
            page.get_by_role("link", name="Datakvalitet").click()
            page.locator('[data-testid="stMain"] iframe').wait_for(timeout=90_000)
            assert "Great Expectations" in page.frame_locator(
                '[data-testid="stMain"] iframe').locator("title").first.inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("sub", ["stranger", "impostor"])
def test_a_user_without_a_role_is_refused(browser, server, sub):
    """No rule matches: a stranger's e-mail, or the steward's e-mail the provider has not
    verified (email_verified false)."""
    context, page = sign_in(browser, server, sub)
    try:
        page.get_by_text(text("no_role", "sv")).wait_for(timeout=90_000)
        assert navigation(page) == []
        assert not page.locator('[data-testid="stDataFrame"]').count()
        page.screenshot(path=str(ARTIFACTS / f"signin-{sub}.png"), full_page=True)
    finally:
        context.close()


def test_data_docs_are_not_served_without_sign_in(server, demo_warehouse):
    """Not one file of the Data Docs folder is served to an anonymous request.

    Streamlit answers a path it does not serve with 404 or with its own start page (the
    app shell, which then asks to sign in), the same bytes as for a path that never
    existed; never with the file.
    """
    _, shell = http_get(f"{server}/no-such-page")
    docs = settings.data_docs(demo_warehouse)
    files = [p for p in docs.rglob("*") if p.is_file()]
    assert docs / "index.html" in files and any("validations" in p.parts for p in files)
    for file in files:
        relative = urllib.parse.quote(file.relative_to(docs).as_posix())
        content = file.read_bytes()
        for path in (f"/app/static/{relative}", f"/static/{relative}", f"/{relative}"):
            status, body = http_get(server + path)
            assert status in (403, 404) or (status == 200 and body == shell), (path, status)
            assert not content or content not in body, path
