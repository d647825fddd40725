"""The incident pages in a real browser: axe-core on each, a phone screen, and picking counties on the map."""

import pytest

from surge.access.principal import system
from surge.demo_network import load_clearinghouses, load_exercise, load_needs, load_network
from surge.kernel.clock import utcnow
from surge.kernel.db import run_in_transaction, unit_of_work
from tests.browser.conftest import axe_violations, log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
EXERCISE = "gulf-hurricane-exercise"


@pytest.fixture
def exercise(engine):
    actor = system("test")
    run_in_transaction(engine, load_network, actor=actor)
    run_in_transaction(engine, load_clearinghouses, actor=actor)
    run_in_transaction(engine, load_exercise, actor=actor, now=utcnow())
    run_in_transaction(engine, load_needs, actor=actor, now=utcnow())
    return EXERCISE


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_public_status_page_is_accessible(page, live_server, exercise, lang):
    page.goto(f"{live_server}/incidents/{exercise}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert axe_violations(page) == []


def test_the_public_status_page_fits_a_phone(phone_page, live_server, exercise):
    phone_page.goto(f"{live_server}/incidents/{exercise}")
    assert phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert phone_page.get_by_role("heading", name="Needed now").is_visible()


@pytest.mark.parametrize("path", ["/ops/incidents", "/ops/incidents/new?state=TX", f"/ops/incidents/{EXERCISE}",
                                  f"/ops/incidents/{EXERCISE}/needs/houston-vrc"])
def test_the_staff_incident_pages_are_accessible(page, live_server, exercise, make_user, path):
    make_user("emergency_manager", email="em-browser@example.org")
    log_in(page, live_server, "em-browser@example.org", PASSWORD)
    page.goto(f"{live_server}{path}")
    assert page.get_by_role("heading", level=1).is_visible()
    assert axe_violations(page) == []


def test_counties_picked_on_the_map_are_previewed_then_activated(browser, live_server, exercise, make_user):
    # The real content security policy applies here, so the picker script must run under it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    make_user("emergency_manager", email="em-picker@example.org")
    log_in(page, live_server, "em-picker@example.org", PASSWORD)
    page.goto(f"{live_server}/ops/incidents/new?state=TX")
    page.get_by_label("Name", exact=True).fill("Picked on the map")
    page.get_by_label("Short name for links").fill("picked-on-the-map")
    page.locator('svg[data-picker="on"] path[data-fips="48201"]').dispatch_event("click")
    assert page.locator("#county-48201").is_checked()
    page.get_by_label("Fort Bend, TX").check()
    page.get_by_role("button", name="Preview the area").click()
    page.wait_for_load_state("networkidle")
    assert "The area covers 2 counties." in page.content()
    page.get_by_role("button", name="Create and activate").click()
    page.wait_for_url(f"{live_server}/ops/incidents/picked-on-the-map?done=activated")
    assert page.get_by_text("The incident is active.").is_visible()
    context.close()


@pytest.mark.parametrize("form", ["volunteer", "donate"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_public_intake_forms_are_accessible(page, live_server, exercise, form, lang):
    page.goto(f"{live_server}/incidents/{exercise}/{form}?lang={lang}")
    assert axe_violations(page) == []


@pytest.mark.parametrize("form", ["volunteer", "donate"])
def test_the_public_intake_forms_fit_a_phone(phone_page, live_server, exercise, form):
    phone_page.goto(f"{live_server}/incidents/{exercise}/{form}")
    assert phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_volunteer_registers_with_the_keyboard_and_sees_a_reference(browser, live_server, exercise):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", is_mobile=True,
                                  bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/incidents/{exercise}/volunteer")
    page.get_by_label("Name (required)").fill("Keyboard Volunteer")
    page.get_by_label("Phone", exact=True).fill("713-555-0111")
    page.get_by_label("ZIP code (required)").fill("77002")
    page.get_by_label("Muck-out (flooded homes)").check()
    page.get_by_label("I agree that my registration is shared").check()
    page.get_by_role("button", name="Register to volunteer").press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Thank you").is_visible()
    assert "V-" in page.get_by_role("status").inner_text()
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("path", ["/portal/referrals?state=sent", "/portal/capacity"])
def test_the_clearinghouse_portal_is_accessible(page, live_server, exercise, make_user, path, engine):
    from surge.intake import volunteers
    from surge.intake.forms import VolunteerIn
    from surge.intake.models import Source
    from surge.kernel.validation import validate

    data = validate(VolunteerIn, {"name": "Portal Person", "phone": "713-555-0190", "zip": "77002",
                                  "skills": ["muck_out"], "consents": {"share_with_clearinghouses": True}})
    made = run_in_transaction(engine, volunteers.register, incident_slug=exercise, data=data, source=Source.WEB,
                              actor=system("test"), now=utcnow())
    assert made.referrals  # so the inbox has a row to check
    make_user("clearinghouse", email="vrc-browser@example.org", clearinghouse="houston-vrc")
    log_in(page, live_server, "vrc-browser@example.org", PASSWORD)
    page.goto(f"{live_server}{path}")
    assert page.get_by_role("heading", level=1).is_visible()
    assert axe_violations(page) == []


def test_the_follow_up_page_is_accessible(page, live_server, exercise, engine):
    from datetime import timedelta

    from surge.kernel.link_tokens import token_hash
    from surge.intake.models import FollowUp

    with unit_of_work(engine) as session:
        session.add(FollowUp(token_hash=token_hash("browser-follow-up-token"), incident_slug=exercise,
                             sent_at=utcnow() - timedelta(days=1)))
    page.goto(f"{live_server}/follow-up/browser-follow-up-token?lang=es")
    assert page.get_by_role("heading", level=1).is_visible()
    assert axe_violations(page) == []
