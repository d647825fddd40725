"""Real pages in a real browser: log-in, language switch, phone layout, and axe-core on each page."""

import pytest

from tests.browser.conftest import axe_violations, log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ROLES = ["admin", "emergency_manager", "supervisor", "call_taker", "clearinghouse", "partner"]


def test_log_in_and_out(page, live_server, make_user):
    make_user("admin", email="chief@example.org")
    log_in(page, live_server, "chief@example.org", PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    assert page.get_by_text("chief@example.org").first.is_visible()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server}/login")
    assert page.get_by_role("heading", name="Log in").is_visible()


def test_wrong_password_shows_an_error(page, live_server, make_user):
    make_user("partner", email="p@example.org")
    log_in(page, live_server, "p@example.org", "not-the-password")
    assert "not right" in page.get_by_role("alert").inner_text()
    assert axe_violations(page) == []


def test_language_switcher_turns_the_page_spanish_and_remembers_it(page, live_server):
    page.goto(f"{live_server}/login")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1).inner_text() == "Iniciar sesión"
    page.goto(f"{live_server}/")
    assert "Marque 2-1-1" in page.content()
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_public_pages_have_no_accessibility_violations(page, live_server, path, lang):
    page.goto(f"{live_server}{path}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert axe_violations(page) == []


@pytest.mark.parametrize("role", ROLES)
def test_each_role_home_has_no_accessibility_violations(page, live_server, make_user, role):
    make_user(role, email=f"{role}@example.org")
    log_in(page, live_server, f"{role}@example.org", PASSWORD)
    assert page.url.rstrip("/") == live_server
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/", "/login"])
def test_pages_fit_a_phone_screen(phone_page, live_server, path):
    phone_page.goto(f"{live_server}{path}")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert axe_violations(phone_page) == []


def test_admin_home_fits_a_phone_screen(phone_page, live_server, make_user):
    make_user("admin", email="a@example.org")
    log_in(phone_page, live_server, "a@example.org", PASSWORD)
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
