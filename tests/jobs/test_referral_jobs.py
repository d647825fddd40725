"""The referral deadline jobs and the reserve re-match, run with a clock of their own."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from clearinghouse.models import Clearinghouse
from surge.intake import places
from surge.intake.models import Donation, DonationItem, Volunteer
from surge.jobs import tasks
from surge.kernel.clock import utcnow
from surge.kernel.db import unit_of_work
from tests.intake.referral_setup import (ACK_HOURS, SLUGS, network, offer_water, outbox,  # noqa: F401
                                         referrals_of, register)


def _deadlines(engine, at):
    return tasks.referral_deadlines_run(engine, clock=lambda: at, release_days=14, limit=500)


def test_halfway_to_the_deadline_the_clearinghouse_is_reminded_once(client, network, engine):
    person = register(client, network["caller"])
    start = referrals_of(engine, volunteer_id=person["id"])[0].sent_at
    assert _deadlines(engine, start + timedelta(hours=ACK_HOURS / 2 - 1))["reminded"] == 0
    assert _deadlines(engine, start + timedelta(hours=ACK_HOURS / 2 + 1))["reminded"] == 2
    assert _deadlines(engine, start + timedelta(hours=ACK_HOURS / 2 + 2))["reminded"] == 0
    reminders = outbox(engine, "referral.reminder")
    assert {m.key for m in reminders} >= {f"referral:{r['id']}:reminder:webhook" for r in person["referrals"]}
    assert all("713-555" not in str(m.body) for m in reminders)


def test_an_acknowledged_referral_is_not_reminded(client, network, engine):
    mine = register(client, network["caller"])["referrals"][0]["id"]
    client.post(f"/api/v1/referrals/{mine}/acknowledge", headers=network["alpha-vrc"], json={})
    _deadlines(engine, utcnow() + timedelta(hours=ACK_HOURS - 1))
    assert [m.key for m in outbox(engine, "referral.reminder") if m.key.startswith(f"referral:{mine}:")] == []


def test_an_overdue_referral_is_released_referred_onwards_and_escalated(client, network, engine):
    person = register(client, network["caller"])
    alpha = person["referrals"][0]["id"]
    client.post(f"/api/v1/referrals/{person['referrals'][1]['id']}/decline", headers=network["bravo-vrc"],
                json={"reason": "full"})
    later = utcnow() + timedelta(hours=ACK_HOURS + 1)
    assert _deadlines(engine, later)["escalated"] == 1
    rows = referrals_of(engine, volunteer_id=person["id"])
    assert [(r.clearinghouse_slug, r.state, r.released_why) for r in rows] == [
        ("alpha-vrc", "released", "expired"), ("bravo-vrc", "declined", None), ("charlie-vrc", "sent", None)]
    assert rows[0].released_at == later and rows[0].updated_by == "system:referral-deadlines"
    [mail] = outbox(engine, "referral.escalation")
    assert mail.recipient == "lead-alpha-vrc@example.org" and mail.key == f"referral:{alpha}:escalation"
    assert str(alpha) in mail.body["text"]
    assert _deadlines(engine, later)["escalated"] == 0  # idempotent


def test_an_accepted_referral_never_fulfilled_is_released_after_the_days(client, network, engine):
    mine = register(client, network["caller"])["referrals"][0]["id"]
    client.post(f"/api/v1/referrals/{mine}/accept", headers=network["alpha-vrc"], json={})
    accepted = referrals_of(engine, id=mine)[0].accepted_at
    assert _deadlines(engine, accepted + timedelta(days=13))["released"] == 0
    assert _deadlines(engine, accepted + timedelta(days=14, minutes=1))["released"] == 1
    [row] = referrals_of(engine, id=mine)
    assert (row.state, row.released_why) == ("released", "expired") and "14" in row.reason


def test_reserve_volunteers_are_matched_again_after_a_needs_list_change(client, network, engine):
    for slug in ("alpha-vrc", "bravo-vrc", "charlie-vrc"):
        client.put(f"/api/v1/incidents/harvey/needs/{slug}", headers=network["em"],
                   json={"items": [{"code": "muck_out", "status": "full"}]})
    tasks.rematch_reserve(engine, clock=utcnow, limit=500)  # the marks left by those changes: nothing fits
    people = [register(client, network["caller"], phone=f"713-555-01{n:02d}", email=None)["id"] for n in range(3)]
    with unit_of_work(engine) as session:
        assert {session.get(Volunteer, i).status for i in people} == {"reserve"}
    assert tasks.rematch_reserve(engine, clock=utcnow, limit=500) == 0  # no change, no work
    answer = client.put("/api/v1/incidents/harvey/needs/charlie-vrc", headers=network["charlie-vrc"],
                        json={"items": [{"code": "muck_out", "status": "needed"}]})
    assert answer.status_code == 200, answer.text
    assert referrals_of(engine, clearinghouse_slug="charlie-vrc") == []  # not inside the editor's request
    # Batches of two: with no time left after the first, a run stops there and the next goes on.
    assert tasks.rematch_reserve(engine, clock=utcnow, limit=2, budget_s=0) == 2
    assert tasks.rematch_reserve(engine, clock=utcnow, limit=2, budget_s=0) == 1
    assert tasks.rematch_reserve(engine, clock=utcnow, limit=2, budget_s=0) == 0
    assert sorted(r.volunteer_id for r in referrals_of(engine, clearinghouse_slug="charlie-vrc")) == people
    with unit_of_work(engine) as session:
        assert {session.get(Volunteer, i).status for i in people} == {"matched"}


def _needs(client, network, slug, code, status):
    answer = client.put(f"/api/v1/incidents/harvey/needs/{slug}", headers=network[slug],
                        json={"items": [{"code": code, "status": status}]})
    assert answer.status_code == 200, answer.text


def _statuses(engine, model, ids):
    with unit_of_work(engine) as session:
        return [session.get(model, i).status for i in ids]


@pytest.mark.parametrize("grouped", [False, True], ids=["counted-each", "counted-grouped"])
def test_a_pass_counts_each_days_places_down_as_it_refers(client, network, engine, monkeypatch, grouped):
    if grouped:  # as for a network of many clearinghouses: their day counted in one grouped scan
        monkeypatch.setattr(places, "GROUPED_FROM", 0)
    for slug in SLUGS:
        _needs(client, network, slug, "muck_out", "full")
    people = [register(client, network["caller"], phone=f"713-555-02{n:02d}", email=None)["id"] for n in range(3)]
    with engine.begin() as conn:  # charlie has room for one today; nothing of it is taken yet
        conn.execute(update(Clearinghouse.__table__).where(Clearinghouse.__table__.c.slug == "charlie-vrc")
                     .values(capacity={"volunteers_per_day": 1}))
    tasks.rematch_reserve(engine, clock=utcnow, limit=500)
    _needs(client, network, "charlie-vrc", "muck_out", "needed")
    # Two batches in one run, as the time allows: the first fills charlie's place, which the second then counts.
    assert tasks.rematch_reserve(engine, clock=utcnow, limit=2) == 3
    made = referrals_of(engine, clearinghouse_slug="charlie-vrc")
    assert [(r.volunteer_id, r.state, r.code) for r in made] == [(people[0], "sent", "muck_out")]
    assert made[0].ack_due_at is not None and made[0].remind_at < made[0].ack_due_at
    assert _statuses(engine, Volunteer, people) == ["matched", "reserve", "reserve"]
    # Each referral is told to the clearinghouse as a registration's is: skills and area, no contact details.
    told = [m for m in outbox(engine, "referral.sent") if m.recipient.endswith("charlie-vrc")]
    assert sorted(m.key for m in told) == sorted(f"referral:{r.id}:sent:webhook" for r in made)
    assert told[0].body["summary"]["skills"] == ["muck_out"] and "phone" not in json.dumps(told[0].body)


def test_a_pass_never_refers_anyone_back_to_a_clearinghouse_that_declined_them(client, network, engine):
    for slug in ("alpha-vrc", "bravo-vrc"):
        _needs(client, network, slug, "muck_out", "full")
    person = register(client, network["caller"], phone="713-555-0301", email=None)
    [charlie] = person["referrals"]
    declined = client.post(f"/api/v1/referrals/{charlie['id']}/decline", headers=network["charlie-vrc"],
                           json={"reason": "crews full"})
    assert declined.status_code == 200, declined.text
    assert _statuses(engine, Volunteer, [person["id"]]) == ["reserve"]
    _needs(client, network, "charlie-vrc", "muck_out", "needed")  # charlie again: but it said no to this person
    tasks.rematch_reserve(engine, clock=utcnow, limit=500)
    assert [r.clearinghouse_slug for r in referrals_of(engine, volunteer_id=person["id"])] == ["charlie-vrc"]
    _needs(client, network, "alpha-vrc", "muck_out", "needed")
    tasks.rematch_reserve(engine, clock=utcnow, limit=500)
    assert [(r.clearinghouse_slug, r.state) for r in referrals_of(engine, volunteer_id=person["id"])] == [
        ("charlie-vrc", "declined"), ("alpha-vrc", "sent")]
    assert _statuses(engine, Volunteer, [person["id"]]) == ["matched"]


def test_items_on_file_are_referred_by_a_pass_and_their_offer_follows(client, network, engine):
    for slug in SLUGS:
        _needs(client, network, slug, "water", "full")
    offer = offer_water(client, network["caller"])
    assert offer["status"] == "on_file"
    tasks.rematch_reserve(engine, clock=utcnow, limit=500)
    _needs(client, network, "bravo-vrc", "water", "needed")
    assert tasks.rematch_reserve(engine, clock=utcnow, limit=500) == 1
    [made] = referrals_of(engine, clearinghouse_slug="bravo-vrc")
    with unit_of_work(engine) as session:
        [item] = session.exec(select(DonationItem).where(DonationItem.donation_id == offer["id"])).all()
        assert (made.donation_item_id, item.status) == (item.id, "matched")
        assert session.get(Donation, offer["id"]).status == "matched"
    told = [m for m in outbox(engine, "referral.sent") if m.key == f"referral:{made.id}:sent:webhook"]
    assert told and told[0].body["summary"]["category"] == "water" and "Water Co" not in json.dumps(told[0].body)


def test_a_clearinghouse_given_several_in_one_pass_gets_one_email_listing_them(client, network, engine):
    for slug in SLUGS:
        _needs(client, network, slug, "muck_out", "full")
    for n in range(3):
        register(client, network["caller"], phone=f"713-555-04{n:02d}", email=None)
    tasks.rematch_reserve(engine, clock=utcnow, limit=500)
    _needs(client, network, "charlie-vrc", "muck_out", "needed")
    tasks.rematch_reserve(engine, clock=utcnow, limit=500)
    made = referrals_of(engine, clearinghouse_slug="charlie-vrc")
    assert len(made) == 3
    told = outbox(engine, "referral.sent")
    [email] = [m for m in told if m.recipient == "charlie-vrc@example.org"]
    assert email.key == f"referrals:{made[0].id}:sent:email:charlie-vrc@example.org"
    assert all(f"Referral {r.id}: muck_out" in email.body["text"] for r in made)
    assert "3" in email.subject and "713" not in email.body["text"]
    # A partner system still gets one webhook a referral, each with its own state.
    hooks = [m for m in told if m.recipient == "https://hooks.example.org/charlie-vrc"]
    assert sorted(m.body["referral"]["id"] for m in hooks) == [r.id for r in made]


def test_the_reserve_is_looked_at_again_once_a_days_places_free(client, network, engine):
    for slug in ("alpha-vrc", "bravo-vrc"):
        _needs(client, network, slug, "muck_out", "full")
    with engine.begin() as conn:
        conn.execute(update(Clearinghouse.__table__).where(Clearinghouse.__table__.c.slug == "charlie-vrc")
                     .values(capacity={"volunteers_per_day": 1}))
    taken = register(client, network["caller"], phone="713-555-0501", email=None)
    waiting = register(client, network["caller"], phone="713-555-0502", email=None)
    assert (taken["status"], waiting["status"]) == ("matched", "reserve")
    tasks.rematch_reserve(engine, clock=utcnow, limit=500)  # the needs lists' marks: charlie is still full
    assert tasks.request_rematch_as_places_free(engine, clock=utcnow) == 1  # the active incident
    tasks.rematch_reserve(engine, clock=utcnow, limit=500)
    assert _statuses(engine, Volunteer, [waiting["id"]]) == ["reserve"]  # the day's place is still taken
    tomorrow = utcnow() + timedelta(days=1, minutes=1)
    assert tasks.request_rematch_as_places_free(engine, clock=lambda: tomorrow) == 1
    assert tasks.request_rematch_as_places_free(engine, clock=lambda: tomorrow) == 0  # already waiting: once
    tasks.rematch_reserve(engine, clock=lambda: tomorrow, limit=500)
    assert [r.clearinghouse_slug for r in referrals_of(engine, volunteer_id=waiting["id"])] == ["charlie-vrc"]
    assert _statuses(engine, Volunteer, [waiting["id"]]) == ["matched"]
