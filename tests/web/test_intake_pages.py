"""The volunteer and donation forms over HTTP: one record per form token, honeypot, errors named, call-takers."""

import re

from sqlmodel import select

from surge.intake.models import Donation, Volunteer
from surge.kernel.db import unit_of_work
from tests.conftest import csrf_from
from tests.intake.test_intake_api import exercise  # noqa: F401  (fixture)

HOSTILE = '<script>alert("x")</script>'


def _form(client, path):
    page = client.get(path)
    assert page.status_code == 200, page.text
    token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
    return {"csrf_token": csrf_from(page.text), "form_token": token}


def _volunteer(**changes):
    body = {"name": "Rosa Díaz", "phone": "713-555-0177", "zip": "77002", "skills": ["muck_out", "debris_removal"],
            "languages": ["en", "es"], "days": ["sat", "sun"], "shifts": ["morning"], "adult": "yes",
            "activity": "significant", "consent_share": "yes", "travel_miles": "25"}
    body.update(changes)
    return body


def _count(engine, model):
    with unit_of_work(engine) as session:
        return len(session.exec(select(model)).all())


def test_a_volunteer_registers_and_a_double_submit_makes_one_record(client, exercise, engine):  # noqa: F811
    tokens = _form(client, f"/incidents/{exercise}/volunteer")
    first = client.post(f"/incidents/{exercise}/volunteer", data={**tokens, **_volunteer()})
    assert first.status_code == 200, first.text
    reference = re.search(r"<strong>(V-[0-9A-Z-]+)</strong>", first.text).group(1)
    again = client.post(f"/incidents/{exercise}/volunteer", data={**tokens, **_volunteer()})
    assert reference in again.text
    assert _count(engine, Volunteer) == 1


def test_mistakes_are_named_the_choices_kept_and_script_shown_as_text(client, exercise, engine):  # noqa: F811
    tokens = _form(client, f"/incidents/{exercise}/volunteer")
    page = client.post(f"/incidents/{exercise}/volunteer",
                       data={**tokens, **_volunteer(zip="7700", name=HOSTILE, consent_share="")})
    assert page.status_code == 422
    assert 'id="zip-error"' in page.text and 'aria-invalid="true"' in page.text
    assert HOSTILE not in page.text and "&lt;script&gt;" in page.text
    assert re.search(r'value="muck_out" checked', page.text)
    assert _count(engine, Volunteer) == 0


def test_the_honeypot_stores_nothing(client, exercise, engine):  # noqa: F811
    tokens = _form(client, f"/incidents/{exercise}/volunteer")
    page = client.post(f"/incidents/{exercise}/volunteer", data={**tokens, **_volunteer(website="http://spam")})
    assert page.status_code == 200 and "reference number" not in page.text
    assert _count(engine, Volunteer) == 0


def test_a_forged_form_token_is_refused(client, exercise, engine):  # noqa: F811
    tokens = _form(client, f"/incidents/{exercise}/volunteer")
    page = client.post(f"/incidents/{exercise}/volunteer", data={**tokens, "form_token": "forged.token",
                                                                 **_volunteer()})
    assert page.status_code == 400
    assert _count(engine, Volunteer) == 0


def test_goods_not_needed_are_kept_on_file_and_the_donor_told(client, exercise, engine):  # noqa: F811
    tokens = _form(client, f"/incidents/{exercise}/donate")
    page = client.post(f"/incidents/{exercise}/donate", data={
        **tokens, "name": "Lee Okafor", "email": "lee@example.org", "zip": "70112", "item0_category": "used_clothing",
        "item0_quantity": "12", "item0_unit": "bags", "item0_condition": "used", "item0_packaging": "loose"})
    assert page.status_code == 200, page.text
    assert "not needed right now" in page.text and "https://example.org/swla-voad" in page.text
    assert _count(engine, Donation) == 1


def test_a_bad_item_row_is_named(client, exercise):  # noqa: F811
    tokens = _form(client, f"/incidents/{exercise}/donate")
    page = client.post(f"/incidents/{exercise}/donate", data={
        **tokens, "name": "Lee", "phone": "504-555-0101", "zip": "70112", "item2_category": "water",
        "item2_quantity": "-3"})
    assert page.status_code == 422 and 'id="item2_quantity-error"' in page.text


def test_the_forms_close_with_the_incident(client, exercise, make_token):  # noqa: F811
    em = {"authorization": f"Bearer {make_token(role='emergency_manager', name='em-forms')}"}
    client.post(f"/api/v1/incidents/{exercise}/stand-down", headers=em, json={"reason": "over"})
    assert client.get(f"/incidents/{exercise}/volunteer").status_code == 404
    assert client.get(f"/incidents/{exercise}/donate").status_code == 404


def test_a_call_taker_registers_a_caller_on_the_compact_form(client, exercise, make_user, login, engine):  # noqa: F811
    make_user("call_taker", email="ct-forms@example.org")
    login("ct-forms@example.org")
    tokens = _form(client, f"/ops/incidents/{exercise}/intake/volunteer")
    page = client.post(f"/ops/incidents/{exercise}/intake/volunteer", data={**tokens, **_volunteer()})
    assert page.status_code == 200 and "Next caller" in page.text
    with unit_of_work(engine) as session:
        assert session.exec(select(Volunteer.source)).one() == "phone"


def test_the_compact_form_is_for_intake_staff_only(client, exercise, make_user, login):  # noqa: F811
    make_user("clearinghouse", email="ch-forms@example.org", clearinghouse="houston-vrc")
    login("ch-forms@example.org")
    assert client.get(f"/ops/incidents/{exercise}/intake/volunteer").status_code == 403
