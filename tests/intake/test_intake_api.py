"""Volunteer and donation intake over HTTP: referrals by protocol, reserve and on-file, one record a person."""

import pytest
from sqlmodel import select

from surge.access.principal import system
from surge.demo_network import load_clearinghouses, load_exercise, load_needs, load_network
from surge.intake.models import Donation, Referral, Volunteer
from surge.kernel.audit import AuditEntry
from surge.kernel.clock import utcnow
from surge.kernel.db import run_in_transaction, unit_of_work
from surge.outbox.models import OutboxMessage

EXERCISE = "gulf-hurricane-exercise"
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def exercise(engine):
    actor = system("test")
    run_in_transaction(engine, load_network, actor=actor)
    run_in_transaction(engine, load_clearinghouses, actor=actor)
    run_in_transaction(engine, load_exercise, actor=actor, now=utcnow())
    run_in_transaction(engine, load_needs, actor=actor, now=utcnow())
    return EXERCISE


@pytest.fixture
def caller(make_token):
    return {"authorization": f"Bearer {make_token(role='call_taker', name='intake-desk', center='houston-211')}"}


def volunteer(**changes):
    body = {"name": "Ana Pérez", "phone": "713-555-0142", "email": "ana@example.org", "zip": "77002",
            "skills": ["muck_out"], "travel_miles": 30, "languages": ["en", "es"],
            "availability": {"from": "2026-09-02", "to": "2026-09-09", "days": ["sat", "sun"], "shifts": ["morning"]},
            "consents": {"share_with_clearinghouses": True}}
    body.update(changes)
    return body


def test_a_volunteer_is_referred_to_the_clearinghouse_that_needs_the_skill(client, exercise, caller, engine):
    answer = client.post(f"/api/v1/incidents/{exercise}/volunteers", headers=caller, json=volunteer())
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["status"] == "matched" and body["kind"] == "volunteer" and body["reference"].startswith("V-")
    assert [(r["clearinghouse"], r["state"], r["code"]) for r in body["referrals"]][0] == ("houston-vrc", "sent",
                                                                                            "muck_out")
    with unit_of_work(engine) as session:
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.topic == "referral.sent")).all()
        assert notices == [] or all("713-555" not in str(n.body) and "ana@" not in str(n.body) for n in notices)
        confirmation = session.exec(select(OutboxMessage).where(OutboxMessage.topic == "intake.confirmation",
                                                                OutboxMessage.recipient == "ana@example.org")).one()
        assert body["reference"] in confirmation.body["text"]


def test_the_same_person_updates_one_record(client, exercise, caller, engine):
    first = client.post(f"/api/v1/incidents/{exercise}/volunteers", headers=caller, json=volunteer()).json()
    again = client.post(f"/api/v1/incidents/{exercise}/volunteers", headers=caller,
                        json=volunteer(phone="+1 (713) 555-0142", email="ANA@example.org", name="Ana P."))
    assert again.status_code == 201, again.text
    assert again.json()["id"] == first["id"] and again.json()["updated"] is True
    with unit_of_work(engine) as session:
        rows = session.exec(select(Volunteer).where(Volunteer.incident_slug == exercise)).all()
        assert [row.name for row in rows] == ["Ana P."]
        assert len(session.exec(select(Referral).where(Referral.volunteer_id == first["id"])).all()) == len(
            first["referrals"])
        # Who took the person in stays on the record; the merge that changed it is audited.
        assert rows[0].taken_by.startswith("token:") and "intake-desk" in rows[0].taken_by
        audited = session.exec(select(AuditEntry.action, AuditEntry.target_id).where(
            AuditEntry.target_type == "volunteer")).all()
        assert audited == [("volunteer.merge", str(first["id"]))]


def test_a_volunteer_nobody_needs_goes_to_the_reserve(client, exercise, caller):
    answer = client.post(f"/api/v1/incidents/{exercise}/volunteers", headers=caller,
                         json=volunteer(skills=["licensed_medical"], phone="713-555-0199", email=None))
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "reserve" and answer.json()["referrals"] == []


def test_goods_nobody_needs_are_kept_on_file_with_cash_links(client, exercise, caller, engine):
    answer = client.post(f"/api/v1/incidents/{exercise}/donations", headers=caller, json={
        "name": "Bob Donor", "email": "bob@example.org", "zip": "77002",
        "items": [{"category": "used_clothing", "description": HOSTILE, "quantity": 40, "unit": "bags",
                   "condition": "used", "packaging": "loose"}]})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["status"] == "on_file" and body["referrals"] == [] and body["reference"].startswith("D-")
    assert "https://example.org/swla-voad" in body["cash_links"]
    with unit_of_work(engine) as session:
        assert "intake-desk" in session.get(Donation, body["id"]).taken_by


def test_needed_goods_go_to_the_warehouse(client, exercise, caller):
    answer = client.post(f"/api/v1/incidents/{exercise}/donations", headers=caller, json={
        "name": "Water Co", "donor_type": "business", "phone": "361-555-0100", "zip": "78401",
        "items": [{"category": "water", "quantity": 2, "unit": "pallets", "packaging": "palletised"}]})
    assert answer.status_code == 201, answer.text
    assert [(r["clearinghouse"], r["code"]) for r in answer.json()["referrals"]] == [("coastal-bend-warehouse",
                                                                                       "water")]


@pytest.mark.parametrize("changes, field", [
    ({"phone": None, "email": None}, ""),
    ({"zip": "7700"}, "zip"),
    ({"skills": ["juggling"]}, "skills"),
    ({"email": "not-an-address"}, "email"),
    ({"adult": False}, ""),
    ({"consents": {"share_with_clearinghouses": False}}, ""),
    ({"availability": {"from": "2026-09-09", "to": "2026-09-02"}}, "availability"),
])
def test_bad_registrations_are_named_and_nothing_is_stored(client, exercise, caller, engine, changes, field):
    answer = client.post(f"/api/v1/incidents/{exercise}/volunteers", headers=caller, json=volunteer(**changes))
    assert answer.status_code == 422, answer.text
    if field:
        assert any(name.startswith(field) for name in answer.json()["error"]["fields"])
    with unit_of_work(engine) as session:
        assert session.exec(select(Volunteer)).all() == []


def test_an_unknown_zip_is_a_clear_error(client, exercise, caller):
    answer = client.post(f"/api/v1/incidents/{exercise}/volunteers", headers=caller, json=volunteer(zip="00000"))
    assert answer.status_code == 422 and "00000" in answer.json()["error"]["message"]


def test_intake_is_closed_unless_the_incident_is_active(client, exercise, caller, make_token):
    em = {"authorization": f"Bearer {make_token(role='emergency_manager', name='em')}"}
    client.post(f"/api/v1/incidents/{exercise}/stand-down", headers=em, json={"reason": "over"})
    answer = client.post(f"/api/v1/incidents/{exercise}/volunteers", headers=caller, json=volunteer())
    assert answer.status_code == 409
    assert client.post("/api/v1/incidents/no-such/volunteers", headers=caller, json=volunteer()).status_code == 404


def test_clearinghouse_tokens_may_not_register_people(client, exercise, make_token):
    token = make_token(role="clearinghouse", name="ch", clearinghouse="houston-vrc")
    answer = client.post(f"/api/v1/incidents/{exercise}/volunteers",
                         headers={"authorization": f"Bearer {token}"}, json=volunteer())
    assert answer.status_code == 403
    assert client.post(f"/api/v1/incidents/{exercise}/volunteers", json=volunteer()).status_code == 401


def test_an_idempotency_key_makes_a_retry_answer_the_first_result(client, exercise, caller, engine):
    headers = {**caller, "idempotency-key": "retry-0001"}
    offer = {"name": "Retry Co", "phone": "361-555-0199", "zip": "78401",
             "items": [{"category": "water", "quantity": 1, "unit": "pallets"}]}
    first = client.post(f"/api/v1/incidents/{exercise}/donations", headers=headers, json=offer)
    again = client.post(f"/api/v1/incidents/{exercise}/donations", headers=headers, json=offer)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    from surge.intake.models import Donation

    with unit_of_work(engine) as session:
        assert len(session.exec(select(Donation).where(Donation.name == "Retry Co")).all()) == 1
    changed = client.post(f"/api/v1/incidents/{exercise}/donations", headers=headers, json={**offer, "name": "Other"})
    assert changed.status_code == 422 and changed.json()["error"]["code"] == "idempotency_key_reused"
    bad = client.post(f"/api/v1/incidents/{exercise}/donations", headers={**caller, "idempotency-key": "x" * 201},
                      json=offer)
    assert bad.status_code == 400
