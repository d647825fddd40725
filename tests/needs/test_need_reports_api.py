"""Logging needs over HTTP: where, what, met or why not, only while the incident is open, no personal data."""

import pytest
from sqlmodel import select

from surge.kernel.audit import AuditEntry
from surge.kernel.db import unit_of_work
from surge.needs.models import NeedReport
from tests.needs.setup import DRAFT, EXERCISE, bearer, incidents, stand_down  # noqa: F401

URL = f"/api/v1/incidents/{EXERCISE}/need-reports"


def need(**changes):
    body = {"zip": "77002", "category": "food", "met": False, "unmet_reason": "waitlist"}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


@pytest.fixture
def call_taker(incidents, make_token):
    return bearer(make_token, "call_taker", center="houston-211")


def stored(engine):
    with unit_of_work(engine) as session:
        return session.exec(select(NeedReport).order_by(NeedReport.id)).all()


def test_a_need_by_zip_is_stored_in_its_county_for_the_callers_center(client, call_taker, engine):
    answer = client.post(URL, headers=call_taker, json=need())
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["county_fips"], body["zip"], body["center"], body["category"], body["met"], body["unmet_reason"],
            body["source"]) == ("48201", "77002", "houston-211", "food", False, "waitlist", "call")
    [row] = stored(engine)
    assert (row.county_fips, row.incident_slug, row.logged_by) == ("48201", EXERCISE, None)  # a token, not a person
    with unit_of_work(engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "need_report.log")).one()
        assert entry.target_id == str(row.id) and "houston-211" in entry.diff


def test_a_need_by_county_has_no_zip(client, call_taker, engine):
    answer = client.post(URL, headers=call_taker, json=need(zip=None, county="48245", met=True, unmet_reason=None))
    assert answer.status_code == 201, answer.text
    assert (answer.json()["county_fips"], answer.json()["zip"], answer.json()["met"]) == ("48245", None, True)


@pytest.mark.parametrize("changes, field", [
    ({"zip": "00000"}, "zip"),
    ({"zip": None, "county": "99999"}, "county"),
    ({"zip": "7700"}, "zip"),
    ({"unmet_reason": None}, "unmet_reason"),
    ({"met": True}, "unmet_reason"),
    ({"category": "pizza"}, "category"),
    ({"unmet_reason": "bored"}, "unmet_reason"),
    ({"county": "48201"}, "body"),  # a ZIP code and a county at once
    ({"zip": None}, "body"),  # neither
])
def test_bad_input_is_a_422_naming_the_field(client, call_taker, engine, changes, field):
    answer = client.post(URL, headers=call_taker, json=need(**changes))
    assert answer.status_code == 422, answer.text
    assert field in answer.json()["error"]["fields"]
    assert stored(engine) == []


@pytest.mark.parametrize("extra", [{"name": "Ana Pérez"}, {"phone": "713-555-0100"}, {"email": "a@example.org"},
                                   {"address": "1 Main St"}, {"note": "lives alone"}])
def test_no_personal_field_is_accepted(client, call_taker, engine, extra):
    answer = client.post(URL, headers=call_taker, json=need(**extra))
    assert answer.status_code == 422
    assert list(extra)[0] in answer.json()["error"]["fields"]
    assert stored(engine) == []


def test_the_unknown_zip_message_names_it(client, call_taker):
    answer = client.post(URL, headers=call_taker, json=need(zip="00000"))
    assert "00000" in answer.json()["error"]["message"]


def test_needs_are_logged_while_demobilizing_but_not_once_closed(client, call_taker, engine):
    stand_down(engine)
    assert client.post(URL, headers=call_taker, json=need()).status_code == 201
    stand_down(engine)
    closed = client.post(URL, headers=call_taker, json=need())
    assert closed.status_code == 409 and "closed" in closed.json()["error"]["message"]


def test_a_draft_incident_takes_no_needs(client, call_taker):
    answer = client.post(f"/api/v1/incidents/{DRAFT}/need-reports", headers=call_taker, json=need())
    assert answer.status_code == 409


def test_an_unknown_incident_is_404(client, call_taker):
    assert client.post("/api/v1/incidents/no-such/need-reports", headers=call_taker, json=need()).status_code == 404


@pytest.mark.parametrize("role", ["emergency_manager", "partner", "clearinghouse", "phone_system"])
def test_roles_that_take_no_calls_may_not_log(client, incidents, make_token, role):
    answer = client.post(URL, headers=bearer(make_token, role), json=need(center="houston-211"))
    assert answer.status_code == 403


def test_a_call_taker_logs_for_their_own_center_only(client, call_taker):
    assert client.post(URL, headers=call_taker, json=need(center="beaumont-211")).status_code == 403
    assert client.post(URL, headers=call_taker, json=need(center="houston-211")).status_code == 201


def test_an_admin_names_the_center(client, incidents, make_token, engine):
    admin = bearer(make_token, "admin")
    missing = client.post(URL, headers=admin, json=need())
    assert missing.status_code == 422 and "center" in missing.json()["error"]["fields"]
    unknown = client.post(URL, headers=admin, json=need(center="nowhere-211"))
    assert unknown.status_code == 422 and "center" in unknown.json()["error"]["fields"]
    answer = client.post(URL, headers=admin, json=need(center="beaumont-211"))
    assert answer.status_code == 201 and answer.json()["center"] == "beaumont-211"


def test_a_supervisor_logs_too(client, incidents, make_token):
    assert client.post(URL, headers=bearer(make_token, "supervisor"), json=need()).status_code == 201


def test_a_retry_with_the_same_idempotency_key_logs_once(client, call_taker, engine):
    headers = {**call_taker, "Idempotency-Key": "need-0001"}
    first = client.post(URL, headers=headers, json=need())
    again = client.post(URL, headers=headers, json=need())
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert len(stored(engine)) == 1
    changed = client.post(URL, headers=headers, json=need(category="water"))
    assert changed.status_code == 422 and changed.json()["error"]["code"] == "idempotency_key_reused"
    assert client.post(URL, headers={**call_taker, "Idempotency-Key": "need-0002"}, json=need()).status_code == 201
    assert len(stored(engine)) == 2
