"""The brief archive and a brief's page in a real browser, on a desk and on a phone, checked with axe-core."""

import pytest

from tests.briefs.setup import bearer, make_incident
from tests.browser.conftest import axe_violations, log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
ARCHIVE = "/ops/incidents/gulf-flood/briefs"


@pytest.fixture
def manager(client, make_token, make_user):
    make_incident(client, bearer(make_token("emergency_manager", name="setup")))
    make_user("emergency_manager", email="em@example.org")
    return "em@example.org"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_brief_is_made_from_the_archive_and_both_pages_are_accessible(page, live_server, manager, lang):
    log_in(page, live_server, manager, PASSWORD)
    page.goto(f"{live_server}{ARCHIVE}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert axe_violations(page) == []
    page.get_by_label("Situación" if lang == "es" else "Situation").fill("<script>alert(1)</script> Water rising.")
    page.get_by_role("button", name="Guardar la narrativa" if lang == "es" else "Save the narrative").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Hacer un informe ahora" if lang == "es" else "Make a brief now").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("status").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Informe 1 como página" if lang == "es" else "Brief 1 as a page").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == lang
    assert "<script>alert(1)</script> Water rising." in page.locator(".narrative").first.inner_text()
    assert page.get_by_role("heading", level=1).is_visible()
    assert axe_violations(page) == []


def test_the_archive_works_on_a_phone(phone_page, live_server, manager):
    log_in(phone_page, live_server, manager, PASSWORD)
    phone_page.goto(f"{live_server}{ARCHIVE}")
    phone_page.get_by_role("button", name="Make a brief now").click()
    phone_page.wait_for_load_state("networkidle")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= phone_page.viewport_size["width"] + 1  # nothing pushes the page sideways
    phone_page.goto(f"{live_server}/api/v1/incidents/gulf-flood/briefs/1.html")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= phone_page.viewport_size["width"] + 1
    assert axe_violations(phone_page) == []
