"""Links in a real browser (issue 12): a link copied with the page's button in one
browser session opens the same view in another, for that session's own role; a role or
demo parameter in a link changes nothing.

Two browser contexts are two sessions (own cookies, own Streamlit session). The demo
server's role picker starts every new session as the steering group.
"""

import duckdb
import pytest

import settings
from dashboard.labels import text
from tests.live import OBSERVE, choose, rendered, screenshot, settle, start_clock

pytestmark = pytest.mark.browser


def session(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    return context, context.new_page()


def open_at(page, url: str) -> None:
    page.goto(url)
    settle(page)
    page.evaluate(OBSERVE)


def act(page, action) -> None:
    """An action and the script run it starts."""
    t0 = start_clock(page)
    action()
    rendered(page, t0)


def nav(page, title: str) -> None:
    act(page, lambda: page.locator('[data-testid="stSidebarNavLink"]')
        .filter(has_text=title).first.click())


def copied_link(page) -> str:
    """What the page's copy-link button puts on the clipboard."""
    button = page.locator("button.kedjan-copy-link")
    assert button.count() == 1
    button.click()
    page.wait_for_function(
        "() => document.querySelector('button.kedjan-copy-link').textContent.startsWith('✓')")
    return page.evaluate("() => navigator.clipboard.readText()")


def month_shown(page) -> str:
    """The as-of picker's year and month as shown (each in its combobox's input)."""
    return " ".join(page.locator(f".st-key-as_of_{part} input").input_value()
                    for part in ("year", "month"))


def test_a_copied_link_opens_the_same_view_in_another_session(browser, server,
                                                              demo_warehouse):
    with duckdb.connect(str(settings.serving(demo_warehouse)), read_only=True) as con:
        (t2,), = con.execute("""SELECT name_en FROM marts.dim_kpi
            WHERE kpi_id = 'etst_transition_ratio'""").fetchall()
    sender_context, sender = session(browser)
    open_at(sender, server)
    act(sender, lambda: choose(sender, "Roll (demo)", "analytiker"))
    act(sender, lambda: sender.locator('[data-testid="stSidebar"]')
        .get_by_text("English", exact=True).click())

    # Översikt at another year's end
    latest = month_shown(sender)
    year = sender.locator(".st-key-as_of_year input").input_value()
    act(sender, lambda: choose(sender, text("as_of_year", "en"), str(int(year) - 1)))
    month = month_shown(sender)
    assert month != latest
    link = copied_link(sender)
    assert link == sender.url and "as_of_year=" in link and "language=English" in link

    receiver_context, receiver = session(browser)
    open_at(receiver, link)
    assert month_shown(receiver) == month
    assert receiver.locator('[data-testid="stMain"] h1').first.inner_text().strip() == \
        text("overview", "en")
    # the receiver's own role: the steering group (no SQL page), not the sender's
    assert receiver.locator('[data-testid="stSidebarNavLink"]').filter(has_text="SQL").count() == 0
    screenshot(receiver, "lank-oversikt-mottagare")

    # The KPI page at T2
    nav(sender, "KPI")
    act(sender, lambda: choose(sender, text("kpi_choose", "en"), f"ETST · {t2}"))
    link = copied_link(sender)
    assert "kpi_choice=" in link
    open_at(receiver, link)
    assert receiver.get_by_role("heading", name=f"ETST · {t2}").count() == 1
    screenshot(receiver, "lank-kpi-mottagare")
    sender_context.close()
    receiver_context.close()


def test_a_role_or_demo_parameter_in_a_link_changes_nothing(browser, server):
    context, page = session(browser)
    open_at(page, server + "?demo_role=dataansvarig&role=dataansvarig&demo=1&KEDJAN_DEMO_MODE=0")
    titles = [t.strip() for t in page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()]
    assert "Datakvalitet" not in titles and "SQL" not in titles, titles  # still the steering group
    context.close()
