"""The incident pages over HTTP: the activation page (choose, preview, activate), the dashboard with its
linkages, and the public status page."""

import re

import pytest

from surge.access.principal import system
from surge.demo_network import load_clearinghouses, load_network
from surge.kernel.db import run_in_transaction
from tests.conftest import csrf_from

HOSTILE = '<script>alert("x")</script>'
HARRIS, FORT_BEND = "48201", "48157"


@pytest.fixture
def network(engine):
    run_in_transaction(engine, load_network, actor=system("test"))
    run_in_transaction(engine, load_clearinghouses, actor=system("test"))


@pytest.fixture
def manager(client, make_user, login):
    make_user("emergency_manager", email="em-pages@example.org")
    login("em-pages@example.org")
    return client


def _form(client, **fields):
    token = csrf_from(client.get("/ops/incidents/new").text)
    body = {"csrf_token": token, "name": "Hurricane Page", "slug": "hurricane-page", "type": "Hurricane",
            "level": "3", "timezone": "America/Chicago", "operational_period_hours": "12", "period_start": "06:00",
            "state": "TX", "county": [HARRIS, FORT_BEND]}
    body.update(fields)
    return body


@pytest.mark.parametrize("path", ["/ops/incidents", "/ops/incidents/new"])
def test_signed_out_people_are_sent_to_log_in(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")


def test_only_managers_open_the_activation_page(client, make_user, login):
    make_user("supervisor", email="sup-pages@example.org")
    login("sup-pages@example.org")
    assert client.get("/ops/incidents").status_code == 200
    assert client.get("/ops/incidents/new").status_code == 403


def test_a_state_shows_its_counties_to_pick(manager, network):
    page = manager.get("/ops/incidents/new?state=TX")
    assert page.status_code == 200
    assert len(re.findall(r'name="county" value="48\d{3}"', page.text)) == 254
    assert 'data-fips="48201"' in page.text


def test_preview_shows_the_counties_and_the_clearinghouses_and_stores_nothing(manager, network):
    page = manager.post("/ops/incidents/new", data=_form(manager, action="preview"))
    assert page.status_code == 200, page.text
    assert "The area covers 2 counties." in page.text
    assert "Harris (TX)" in page.text and "Fort Bend (TX)" in page.text
    assert "Greater Houston Volunteer Reception Center (demo)" in page.text  # its protocol covers Harris County
    assert manager.get("/ops/incidents/hurricane-page").status_code == 404


def test_create_and_activate_leads_to_the_dashboard(manager, network):
    done = manager.post("/ops/incidents/new", data=_form(manager, action="activate", reason="Landfall"),
                        follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/ops/incidents/hurricane-page?done=activated"
    page = manager.get("/ops/incidents/hurricane-page")
    assert "Active" in page.text and "Clearinghouse linkages" in page.text
    answer = manager.get("/api/v1/incidents/hurricane-page").json()
    assert answer["status"] == "active" and answer["counties"] == sorted([HARRIS, FORT_BEND])
    assert manager.get("/incidents/hurricane-page").status_code == 200


def test_mistakes_are_named_and_the_choices_kept(manager, network):
    page = manager.post("/ops/incidents/new", data=_form(manager, action="preview", slug="Not A Slug",
                                                         name=HOSTILE))
    assert page.status_code == 422
    assert 'aria-invalid="true"' in page.text and 'id="slug-error"' in page.text
    assert HOSTILE not in page.text and "&lt;script&gt;" in page.text
    assert re.search(rf'value="{HARRIS}" checked', page.text)


def test_no_area_is_a_clear_error(manager, network):
    page = manager.post("/ops/incidents/new", data=_form(manager, action="preview", county=[]))
    assert page.status_code == 422 and "Choose at least one county" in page.text


def test_an_uploaded_geojson_is_previewed(manager, network):
    square = '{"type": "Polygon", "coordinates": [[[-95.6, 29.6], [-95.2, 29.6], [-95.2, 29.9], [-95.6, 29.9], [-95.6, 29.6]]]}'
    body = _form(manager, action="preview")
    body.pop("county")
    page = manager.post("/ops/incidents/new", data=body, files={"area_file": ("area.geojson", square.encode())})
    assert page.status_code == 200, page.text
    assert "Harris (TX)" in page.text


def test_an_upload_that_is_not_text_is_refused(manager, network):
    body = _form(manager, action="preview")
    body.pop("county")
    page = manager.post("/ops/incidents/new", data=body, files={"area_file": ("area.geojson", b"\xff\xfe\x00junk")})
    assert page.status_code == 422 and "UTF-8" in page.text


def test_the_public_page_is_there_only_while_active(client, manager, network):
    manager.post("/ops/incidents/new", data=_form(manager, action="draft"), follow_redirects=False)
    assert client.get("/incidents/hurricane-page").status_code == 404
    token = csrf_from(manager.get("/ops/incidents/hurricane-page").text)
    manager.post("/ops/incidents/hurricane-page/activate", data={"csrf_token": token, "reason": "go"})
    page = manager.get("/incidents/hurricane-page")
    assert page.status_code == 200 and "Cash is best." in page.text
    token = csrf_from(manager.get("/ops/incidents/hurricane-page").text)
    manager.post("/ops/incidents/hurricane-page/stand-down", data={"csrf_token": token, "reason": "over"})
    assert manager.get("/incidents/hurricane-page").status_code == 404


def test_activation_without_csrf_is_refused(manager, network):
    manager.post("/ops/incidents/new", data=_form(manager, action="draft"), follow_redirects=False)
    refused = manager.post("/ops/incidents/hurricane-page/activate", data={"reason": "no token"})
    assert refused.status_code == 403
    assert manager.get("/api/v1/incidents/hurricane-page").json()["status"] == "draft"


@pytest.fixture
def exercise(engine, network):
    from surge.demo_network import load_exercise, load_needs
    from surge.kernel.clock import utcnow

    run_in_transaction(engine, load_exercise, actor=system("test"), now=utcnow())
    run_in_transaction(engine, load_needs, actor=system("test"), now=utcnow())
    return "gulf-hurricane-exercise"


def test_the_public_page_shows_needs_cash_links_and_where_to_volunteer(client, exercise):
    page = client.get(f"/incidents/{exercise}")
    assert page.status_code == 200
    assert "EXERCISE" in page.text
    needed = page.text[page.text.index('id="needed-heading"'):page.text.index('id="not-needed-heading"')]
    assert "Muck-out" in needed and "150 wanted" in needed and "Water" in needed
    not_needed = page.text[page.text.index('id="not-needed-heading"'):page.text.index('id="volunteer-heading"')]
    assert "Used clothing" in not_needed and "Cash is best." in not_needed
    assert 'href="https://example.org/swla-voad"' in not_needed
    assert "Greater Houston Volunteer Reception Center (demo)" in page.text
    spanish = client.get(f"/incidents/{exercise}?lang=es")
    assert "El efectivo es lo mejor." in spanish.text


def test_a_clearinghouse_edits_its_own_needs_list_and_script_stays_text(client, exercise, make_user, login):
    make_user("clearinghouse", email="vrc@example.org", clearinghouse="houston-vrc")
    login("vrc@example.org")
    form = client.get(f"/ops/incidents/{exercise}/needs/houston-vrc")
    assert form.status_code == 200 and 'name="status-muck_out"' in form.text
    saved = client.post(f"/ops/incidents/{exercise}/needs/houston-vrc", follow_redirects=False, data={
        "csrf_token": csrf_from(form.text), "status-debris_removal": "needed", "quantity-debris_removal": "20",
        "note-debris_removal": HOSTILE, "status-muck_out": "full"})
    assert saved.status_code == 303, saved.text
    listed = client.get(f"/api/v1/incidents/{exercise}/needs/houston-vrc").json()
    assert {item["code"]: item["status"] for item in listed["items"]} == {"debris_removal": "needed",
                                                                        "muck_out": "full"}
    public = client.get(f"/incidents/{exercise}").text
    assert HOSTILE not in public and "&lt;script&gt;" in public
    assert client.get(f"/ops/incidents/{exercise}/needs/coastal-bend-warehouse").status_code == 403


def test_a_bad_quantity_is_named_and_nothing_is_saved(client, exercise, make_user, login):
    make_user("clearinghouse", email="vrc2@example.org", clearinghouse="houston-vrc")
    login("vrc2@example.org")
    form = client.get(f"/ops/incidents/{exercise}/needs/houston-vrc")
    refused = client.post(f"/ops/incidents/{exercise}/needs/houston-vrc", data={
        "csrf_token": csrf_from(form.text), "status-muck_out": "needed", "quantity-muck_out": "-4"})
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    listed = client.get(f"/api/v1/incidents/{exercise}/needs/houston-vrc").json()
    assert {item["code"]: item.get("quantity") for item in listed["items"]}["muck_out"] == 150


def test_a_manager_pauses_a_linkage_with_a_reason(manager, exercise):
    page = manager.get(f"/ops/incidents/{exercise}")
    assert "Coastal Bend Multi-Agency Warehouse (demo)" in page.text
    token = csrf_from(page.text)
    no_reason = manager.post(f"/ops/incidents/{exercise}/linkages", follow_redirects=False, data={
        "csrf_token": token, "clearinghouse": "houston-vrc", "state": "paused", "reason": ""})
    assert no_reason.headers["location"].endswith("done=linkage-reason#linkages-heading")
    done = manager.post(f"/ops/incidents/{exercise}/linkages", follow_redirects=False, data={
        "csrf_token": token, "clearinghouse": "houston-vrc", "state": "paused", "reason": "crews exhausted"})
    assert done.status_code == 303
    linkages = {link["clearinghouse"]: link["state"] for link in manager.get(f"/api/v1/incidents/{exercise}").json()["linkages"]}
    assert linkages["houston-vrc"] == "paused"
