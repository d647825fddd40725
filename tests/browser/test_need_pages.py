"""The needs pages in a real browser: a need logged with the keyboard alone, and axe-core on each page."""

import pytest

from tests.browser.conftest import axe_violations, log_in
from tests.conftest import PASSWORD
from tests.needs.setup import EXERCISE, incidents  # noqa: F401

pytestmark = pytest.mark.browser
LOG = f"/ops/incidents/{EXERCISE}/need-reports/log"


def test_a_call_taker_logs_needs_with_the_keyboard_alone(page, live_server, incidents, make_user):
    make_user("call_taker", email="desk@example.org", center="houston-211")
    log_in(page, live_server, "desk@example.org", PASSWORD)
    page.goto(f"{live_server}{LOG}")
    assert page.evaluate("document.activeElement.id") == "zip"  # ready to type
    page.keyboard.type("77002")
    page.keyboard.press("Tab")  # the county: taken from the ZIP code
    page.keyboard.press("Tab")
    page.keyboard.type("Shelter")
    page.keyboard.press("Tab")  # into the met / not met group
    page.keyboard.press("ArrowDown")  # "Not met"
    page.keyboard.press("Tab")
    page.keyboard.type("On a")  # "On a waiting list"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    status = page.get_by_role("status").inner_text()
    assert "Shelter in Harris, TX: not met (On a waiting list)." in status
    assert "Today you have logged 1 need" in status
    assert page.get_by_label("ZIP code").input_value() == ""
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path", [LOG, f"/ops/incidents/{EXERCISE}/need-reports/import"])
def test_the_needs_pages_are_accessible(page, live_server, incidents, make_user, path, lang):
    make_user("supervisor", email="sup@example.org", center="houston-211")
    log_in(page, live_server, "sup@example.org", PASSWORD)
    page.goto(f"{live_server}{path}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.get_by_role("heading", level=1).is_visible()
    assert axe_violations(page) == []


def test_a_mistake_is_announced_and_accessible(page, live_server, incidents, make_user):
    make_user("call_taker", email="desk@example.org", center="houston-211")
    log_in(page, live_server, "desk@example.org", PASSWORD)
    page.goto(f"{live_server}{LOG}")
    page.get_by_label("ZIP code").fill("00000")
    page.get_by_role("button", name="Log the need").click()
    page.wait_for_load_state("networkidle")
    assert "not valid" in page.get_by_role("alert").inner_text()
    assert page.locator("#category-error").is_visible() and page.locator("#met-error").is_visible()
    assert page.get_by_label("Need").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
