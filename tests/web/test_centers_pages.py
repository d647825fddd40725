"""The centers pages and the wallboard over HTTP: who sees what, editing, CSRF, field errors, escaping, triggers."""

import re

import pytest

from surge.access.principal import system
from surge.demo_network import load_network
from surge.kernel.db import run_in_transaction
from tests.conftest import csrf_from

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def network(engine):
    return run_in_transaction(engine, load_network, actor=system("test"))


def _edit_form(client, slug):
    page = client.get(f"/centers/{slug}/edit")
    assert page.status_code == 200, page.text
    html = page.text

    def value(name):
        match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
        return match.group(1) if match else ""

    def text(name):
        match = re.search(rf'name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
        return match.group(1) if match else ""

    import html as html_lib

    return {"csrf_token": csrf_from(html), "name": html_lib.unescape(value("name")),
            "timezone": value("timezone"), "hours": html_lib.unescape(text("hours")),
            "closures": text("closures"), "languages": value("languages"), "seats": value("seats"),
            **({"tty": "on"} if re.search(r'name="tty"[^>]*checked', html) else {})}


@pytest.mark.parametrize("path", ["/centers", "/centers/houston-211", "/wallboard", "/centers/houston-211/edit"])
def test_signed_out_readers_are_sent_to_log_in(client, network, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_wallboard_json_needs_a_caller_with_network_reading(client, network, make_token):
    assert client.get("/api/v1/wallboard").status_code == 401
    phone = make_token(role="phone_system", name="pbx")
    assert client.get("/api/v1/wallboard", headers={"authorization": f"Bearer {phone}"}).status_code == 403
    partner = make_token(role="partner", name="partner")
    answer = client.get("/api/v1/wallboard", headers={"authorization": f"Bearer {partner}"})
    assert answer.status_code == 200
    assert answer.json()["totals"]["centers"] == 8


@pytest.mark.parametrize("role", ["admin", "emergency_manager", "supervisor", "call_taker", "clearinghouse", "partner"])
def test_every_staff_role_sees_the_map_and_the_wallboard(client, network, make_user, login, role):
    make_user(role, email=f"{role}@example.org")
    login(f"{role}@example.org")
    home = client.get("/").text
    assert 'href="/centers"' in home and 'href="/wallboard"' in home
    page = client.get("/centers")
    assert page.status_code == 200
    assert "Greater Houston 2-1-1" in page.text and "24 hours, every day" in page.text
    assert "Mon–Fri 07:00–21:00; Sat 09:00–17:00" in page.text  # Southeast Texas's long week, in words
    assert '<svg viewBox="0 0 800' in page.text and 'role="img"' in page.text
    assert client.get("/wallboard").status_code == 200


def test_the_map_marks_counties_without_a_home_center_and_filters_by_state(client, network, make_user, login):
    make_user("admin")
    login("admin@example.org")
    both = client.get("/centers").text
    assert both.count('<path class="county') == 254 + 64  # every county of Texas and Louisiana
    assert "Counties with no home center" in both and "Loving" in both  # a Texas county no demo center covers
    assert both.count('<path class="county gap"') == 254 + 64 - 34
    louisiana = client.get("/centers?state=LA").text
    assert louisiana.count('<path class="county') == 64
    assert "Loving" not in louisiana
    assert len(louisiana.encode()) < len(both.encode()) < 250_000  # the page stays small
    # An unknown state shows the whole network rather than failing.
    assert client.get("/centers?state=ZZ").text.count('<path class="county') == 254 + 64


def test_the_center_page_shows_details_agreements_and_last_status(client, network, make_user, login, make_token):
    make_user("call_taker", email="ct@example.org", center="houston-211")
    login("ct@example.org")
    page = client.get("/centers/houston-211").text
    assert "Harris (TX)" in page
    assert "Southeast Texas 2-1-1" in page and "Alamo Region 2-1-1" in page  # an agreement to, one disaster-only
    assert "inactive: disaster only" in page
    assert "Never reported" in page
    assert "Edit this center" not in page  # call-takers read, they do not edit
    pbx = make_token(role="phone_system", name="pbx", center="houston-211")
    client.post("/api/v1/centers/houston-211/status", headers={"authorization": f"Bearer {pbx}"},
                json={"calls_waiting": 25, "longest_wait_s": 30, "agents_available": 2, "agents_staffed": 9})
    page = client.get("/centers/houston-211").text
    assert "Fresh" in page and "25 or more" not in page and "20 or more calls waiting" in page
    assert client.get("/centers/nowhere-211").status_code == 404
    assert client.get("/centers/NOT%20A%20SLUG").status_code == 404


def test_a_supervisor_edits_their_own_center_and_no_other(client, network, make_user, login):
    make_user("supervisor", email="sup@example.org", center="beaumont-211")
    login("sup@example.org")
    assert "Edit this center" in client.get("/centers/beaumont-211").text
    assert "Edit this center" not in client.get("/centers/houston-211").text
    assert client.get("/centers/houston-211/edit").status_code == 403
    form = _edit_form(client, "beaumont-211")
    form.update(name="Southeast Texas 2-1-1 (Beaumont)", seats="22", languages="en, es, vi",
                closures="2026-12-25\n2026-12-31T18:00:00-06:00 2027-01-01T08:00:00-06:00")
    saved = client.post("/centers/beaumont-211/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/centers/beaumont-211?saved=1"
    page = client.get(saved.headers["location"]).text
    assert "The center was saved." in page and "Southeast Texas 2-1-1 (Beaumont)" in page
    assert "en, es, vi" in page and "2026-12-25" in page
    # Coverage was kept as it was.
    assert "Jefferson (TX)" in page
    other = _edit_form(client, "beaumont-211") | {"csrf_token": csrf_from(client.get("/").text)}
    assert client.post("/centers/houston-211/edit", data=other).status_code == 403


def test_an_admin_edits_any_center(client, network, make_user, login):
    make_user("admin")
    login("admin@example.org")
    form = _edit_form(client, "lake-charles-211")
    form.update(hours="24/7", tty="on")
    assert client.post("/centers/lake-charles-211/edit", data=form, follow_redirects=False).status_code == 303
    page = client.get("/centers/lake-charles-211").text
    assert "24 hours, every day" in page


def test_editing_needs_the_forms_csrf_token(client, network, make_user, login):
    make_user("admin")
    login("admin@example.org")
    form = _edit_form(client, "austin-211")
    form["name"] = "Changed"
    assert client.post("/centers/austin-211/edit", data={**form, "csrf_token": "0" * 64}).status_code == 403
    assert client.post("/centers/austin-211/edit", data={k: v for k, v in form.items() if k != "csrf_token"}
                       ).status_code == 403
    assert "Central Texas 2-1-1" in client.get("/centers/austin-211").text


def test_bad_input_comes_back_with_field_errors(client, network, make_user, login):
    make_user("admin")
    login("admin@example.org")
    form = _edit_form(client, "austin-211")
    bad = {**form, "name": "", "hours": '{"mon": [["09:00", "08:00"]]}', "languages": "english!",
           "seats": "many", "timezone": "Mars/Olympus"}
    response = client.post("/centers/austin-211/edit", data=bad)
    assert response.status_code == 422
    html = response.text
    for field in ("name", "hours", "languages", "seats", "timezone"):
        assert f'id="{field}-error"' in html, field
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', html), field
    assert "weekly schedule" in html and "America/Chicago" in html
    assert 'value="many"' in html  # what was typed stays in the form
    not_json = client.post("/centers/austin-211/edit", data={**form, "hours": "weekdays"})
    assert not_json.status_code == 422 and 'id="hours-error"' in not_json.text
    closures = client.post("/centers/austin-211/edit", data={**form, "closures": "christmas"})
    assert closures.status_code == 422 and 'id="closures-error"' in closures.text


def test_script_in_a_center_name_shows_as_text(client, engine, make_center, make_user, login):
    make_center("evil-211", name=HOSTILE, counties=["48201"])
    make_user("admin")
    login("admin@example.org")
    for path in ("/centers", "/centers/evil-211", "/wallboard", "/centers/evil-211/edit"):
        html = client.get(path).text
        assert HOSTILE not in html, path
        assert "&lt;script&gt;" in html, path
    # The wallboard's words and data reach its script as JSON, never as markup.
    assert "</script><script>" not in client.get("/wallboard").text


def test_wallboard_json_shows_triggers_firing_from_a_posted_status(client, network, make_token, make_user, login):
    admin = make_token(role="admin", name="board")
    headers = {"authorization": f"Bearer {admin}"}

    def houston():
        board = client.get("/api/v1/wallboard", headers=headers).json()
        return next(c for c in board["centers"] if c["slug"] == "houston-211"), board

    row, board = houston()
    assert row["status"] == "missing" and row["status_age_s"] is None
    to_beaumont = next(a for a in row["agreements"] if a["to"] == "beaumont-211")
    assert to_beaumont["firing"] == []  # never reported (no phone system yet): unloaded, open by its hours
    disaster = next(a for a in row["agreements"] if a["to"] == "san-antonio-211")
    assert disaster == {**disaster, "active": False, "inactive_reason": "disaster_only", "firing": []}
    assert row["calls"]["today"]["offered"] == 0  # no calls yet
    pbx = make_token(role="phone_system", name="pbx", center="houston-211")
    posted = client.post("/api/v1/centers/houston-211/status", headers={"authorization": f"Bearer {pbx}"},
                         json={"calls_waiting": 31, "longest_wait_s": 45, "agents_available": 0,
                               "agents_staffed": 12})
    assert posted.status_code == 200
    row, board = houston()
    assert row["status"] == "fresh" and row["open"] is True and row["overflowing"] is True
    assert row["load"]["calls_waiting"] == 31
    firing = {a["to"]: a["firing"] for a in row["agreements"]}
    assert firing["beaumont-211"] == ["calls_waiting"]
    assert firing["austin-211"] == ["calls_waiting", "no_agents"]
    assert firing["san-antonio-211"] == []
    client.post("/api/v1/centers/houston-211/status", headers={"authorization": f"Bearer {pbx}"},
                json={"calls_waiting": 0, "longest_wait_s": 0, "agents_available": 5, "agents_staffed": 12,
                      "open": False})
    row, _ = houston()
    assert row["open"] is False and row["open_reason"] == "reported_closed" and row["overflowing"] is False
    # The page shows the same.
    make_user("admin")
    login("admin@example.org")
    page = client.get("/wallboard").text
    assert "Closed (reported)" in page and 'aria-live="polite"' in page
    assert '<script src="/static/wallboard.js" defer></script>' in page


def test_wallboard_page_is_translated(client, network, make_user, login):
    make_user("admin")
    login("admin@example.org")
    english = client.get("/wallboard").text
    spanish = client.get("/wallboard?lang=es").text
    assert '<html lang="es">' in spanish
    assert english != spanish


def test_editing_keeps_a_drawn_area_and_its_counties(client, make_center, make_user, login, make_token):
    box = {"type": "Polygon", "coordinates": [[[-95.6, 29.6], [-95.1, 29.6], [-95.1, 30.0], [-95.6, 30.0],
                                                [-95.6, 29.6]]]}
    make_center("drawn-211", name="Drawn 2-1-1", counties=[], area=box)
    make_user("admin")
    login("admin@example.org")
    form = _edit_form(client, "drawn-211") | {"name": "Drawn 2-1-1 renamed"}
    assert client.post("/centers/drawn-211/edit", data=form, follow_redirects=False).status_code == 303
    token = make_token(role="admin", name="reader")
    saved = client.get("/api/v1/centers/drawn-211", headers={"authorization": f"Bearer {token}"}).json()
    assert saved["name"] == "Drawn 2-1-1 renamed"
    assert saved["area"] == box and "48201" in saved["area_counties"]
    assert "Harris (TX)" in client.get("/centers/drawn-211").text


def test_wallboard_shows_each_centers_calls_today_and_in_the_last_hour(client, network, make_token, app):
    from datetime import datetime, timedelta, timezone

    now = datetime(2026, 11, 30, 18, 0, tzinfo=timezone.utc)  # Monday noon in Houston
    app.state.clock = lambda: now
    pbx = {"authorization": f"Bearer {make_token(role='phone_system', name='pbx', center='houston-211')}"}

    def at(minutes_ago):
        return (now - timedelta(minutes=minutes_ago)).isoformat()

    events = [
        # Answered 20 s after the offer, two hours ago (today, not in the last hour).
        {"center": "houston-211", "call_id": "a", "event": "offered", "at": at(120)},
        {"center": "houston-211", "call_id": "a", "event": "answered", "at": (now - timedelta(minutes=120)
                                                                              + timedelta(seconds=20)).isoformat()},
        # Offered ten minutes ago and abandoned after a minute.
        {"center": "houston-211", "call_id": "b", "event": "offered", "at": at(10)},
        {"center": "houston-211", "call_id": "b", "event": "abandoned", "at": at(9)},
        # Yesterday: counted in neither window.
        {"center": "houston-211", "call_id": "c", "event": "offered", "at": at(24 * 60)},
    ]
    assert client.post("/api/v1/calls", json=events, headers=pbx).json()["stored"] == 5
    admin = {"authorization": f"Bearer {make_token(role='admin', name='board')}"}
    board = client.get("/api/v1/wallboard", headers=admin).json()
    houston = next(c for c in board["centers"] if c["slug"] == "houston-211")
    assert houston["calls"]["today"] == {"offered": 2, "answered": 1, "abandon_rate": 0.5, "asa_s": 20.0}
    assert houston["calls"]["last_hour"] == {"offered": 1, "answered": 0, "abandon_rate": 1.0, "asa_s": None}
