"""The centers map, a center's page, its edit form and the live wallboard in a real browser."""

import httpx
import pytest

from surge.access.principal import system
from surge.demo_network import load_network
from surge.kernel.db import run_in_transaction
from tests.browser.conftest import axe_violations, log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PAGES = ["/centers", "/centers?state=LA", "/centers/houston-211", "/centers/houston-211/edit", "/wallboard"]


@pytest.fixture
def network(engine):
    return run_in_transaction(engine, load_network, actor=system("test"))


def _no_page_scroll(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_map_draws_every_county_and_names_the_gaps(page, live_server, network, make_user):
    make_user("admin")
    log_in(page, live_server, "admin@example.org", PASSWORD)
    page.goto(f"{live_server}/centers")
    map_image = page.get_by_role("img", name="Counties coloured by their home center")
    assert map_image.is_visible()
    box = map_image.bounding_box()
    assert box["width"] > 600 and box["height"] > 300
    assert page.locator("svg[role=img] path.county").count() == 254 + 64
    assert page.locator("svg[role=img] path.county.gap").count() == 254 + 64 - 34
    # Coloured counties really are filled by a center's pattern, and the legend names every center.
    fill = page.locator("svg[role=img] path.county:not(.gap)").first.get_attribute("fill")
    assert fill.startswith("url(#fill-")
    assert page.locator(".legend li").count() == 8 + 1
    page.get_by_label("State").select_option("LA")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/centers?state=LA")
    assert page.locator("svg[role=img] path.county").count() == 64


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_centers_pages_have_no_accessibility_violations(page, live_server, network, make_user, path, lang):
    make_user("admin")
    log_in(page, live_server, "admin@example.org", PASSWORD)
    page.goto(f"{live_server}{path}{'&' if '?' in path else '?'}lang={lang}")
    assert axe_violations(page) == []


def test_the_edit_form_with_errors_is_accessible(page, live_server, network, make_user):
    make_user("supervisor", email="sup@example.org", center="houston-211")
    log_in(page, live_server, "sup@example.org", PASSWORD)
    page.goto(f"{live_server}/centers/houston-211")
    page.get_by_role("link", name="Edit this center").click()
    page.get_by_label("Seats").fill("lots")
    page.get_by_label("Hours").fill("{not json")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Seats").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
    page.get_by_label("Seats").fill("130")
    page.get_by_label("Hours").fill("24/7")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/centers/houston-211?saved=1")
    assert page.get_by_role("status").inner_text() == "The center was saved."


@pytest.mark.parametrize("path", PAGES)
def test_centers_pages_fit_a_phone_screen(phone_page, live_server, network, make_user, path):
    make_user("admin")
    log_in(phone_page, live_server, "admin@example.org", PASSWORD)
    phone_page.goto(f"{live_server}{path}")
    assert _no_page_scroll(phone_page) <= 0
    assert axe_violations(phone_page) == []


def test_the_wallboard_updates_after_a_status_is_posted(page, live_server, network, make_user, make_token):
    make_user("call_taker", email="ct@example.org", center="houston-211")
    pbx = make_token(role="phone_system", name="pbx", center="houston-211")
    austin = make_token(role="phone_system", name="austin pbx", center="austin-211")
    quiet = {"calls_waiting": 0, "longest_wait_s": 0, "agents_available": 3, "agents_staffed": 5}
    assert httpx.post(f"{live_server}/api/v1/centers/austin-211/status", json=quiet,
                      headers={"authorization": f"Bearer {austin}"}).status_code == 200
    log_in(page, live_server, "ct@example.org", PASSWORD)
    page.goto(f"{live_server}/wallboard?every=2")
    page.evaluate("window.notReloaded = true")
    row = page.locator('tr[data-center="houston-211"]')
    assert row.locator('[data-field="calls_waiting"]').inner_text() == "—"
    summary = page.get_by_role("status").filter(has_text="Open centers")
    assert summary.get_attribute("aria-live") == "polite"
    before = summary.inner_text()

    answer = httpx.post(f"{live_server}/api/v1/centers/houston-211/status",
                        headers={"authorization": f"Bearer {pbx}"},
                        json={"calls_waiting": 31, "longest_wait_s": 200, "agents_available": 0,
                              "agents_staffed": 12})
    assert answer.status_code == 200
    cell = row.locator('[data-field="calls_waiting"]')
    page.wait_for_function("el => el.textContent.trim() === '31'", arg=cell.element_handle(), timeout=10_000)
    assert row.locator('[data-field="agents"]').inner_text() == "0 / 12"
    assert row.locator('[data-field="longest_wait_s"]').inner_text() == "3 min"
    assert "Fresh" in row.locator('[data-field="status"]').inner_text()
    to_beaumont = row.locator("li", has_text="Southeast Texas 2-1-1").first
    assert "30 or more calls waiting" not in to_beaumont.inner_text()
    assert "20 or more calls waiting" in to_beaumont.inner_text()
    assert "a call waiting 120 s or more" in to_beaumont.inner_text()
    assert "Centers with a stale or missing status: 6." in summary.inner_text()
    assert before != summary.inner_text()
    # A center whose overflow starts is named in the live summary.
    assert "Central Texas" not in summary.inner_text()
    httpx.post(f"{live_server}/api/v1/centers/austin-211/status", headers={"authorization": f"Bearer {austin}"},
               json={**quiet, "calls_waiting": 16})
    page.wait_for_function("el => el.textContent.includes('Central Texas 2-1-1: overflow now firing.')",
                           arg=summary.element_handle(), timeout=10_000)
    assert page.evaluate("window.notReloaded") is True
    assert axe_violations(page) == []


def test_the_wallboard_script_runs_under_the_real_content_security_policy(browser, live_server, network, make_user,
                                                                         make_token):
    make_user("admin")
    pbx = make_token(role="phone_system", name="pbx", center="austin-211")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")  # CSP enforced
    try:
        page = context.new_page()
        refused = []
        page.on("console", lambda message: refused.append(message.text)
                if "Content Security Policy" in message.text else None)
        log_in(page, live_server, "admin@example.org", PASSWORD)
        page.goto(f"{live_server}/wallboard?every=2")
        httpx.post(f"{live_server}/api/v1/centers/austin-211/status", headers={"authorization": f"Bearer {pbx}"},
                   json={"calls_waiting": 7, "longest_wait_s": 5, "agents_available": 1, "agents_staffed": 3})
        cell = page.locator('tr[data-center="austin-211"] [data-field="calls_waiting"]')
        page.wait_for_function("el => el.textContent.trim() === '7'", arg=cell.element_handle(), timeout=10_000)
        page.goto(f"{live_server}/centers")
        assert refused == []
    finally:
        context.close()


def test_a_hostile_center_name_stays_text_on_the_live_wallboard(page, live_server, make_center, make_user,
                                                                make_token):
    make_center("evil-211", name='<img src=x onerror="window.owned=1">', counties=["48201"])
    make_user("admin")
    pbx = make_token(role="phone_system", name="pbx", center="evil-211")
    log_in(page, live_server, "admin@example.org", PASSWORD)
    page.goto(f"{live_server}/wallboard?every=2")
    httpx.post(f"{live_server}/api/v1/centers/evil-211/status", headers={"authorization": f"Bearer {pbx}"},
               json={"calls_waiting": 3, "longest_wait_s": 5, "agents_available": 0, "agents_staffed": 3,
                     "open": False})
    cell = page.locator('tr[data-center="evil-211"] [data-field="calls_waiting"]')
    page.wait_for_function("el => el.textContent.trim() === '3'", arg=cell.element_handle(), timeout=10_000)
    assert page.locator('tr[data-center="evil-211"] th').inner_text() == '<img src=x onerror="window.owned=1">'
    assert page.evaluate("window.owned") is None
    assert page.locator("img").count() == 0
