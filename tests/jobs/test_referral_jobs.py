"""The referral deadline jobs and the reserve re-match, run with a clock of their own."""

from datetime import timedelta

from surge.intake.models import Volunteer
from surge.jobs import tasks
from surge.kernel.clock import utcnow
from surge.kernel.db import unit_of_work
from tests.intake.referral_setup import ACK_HOURS, network, outbox, referrals_of, register  # noqa: F401


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
    assert tasks.rematch_reserve(engine, clock=utcnow, limit=2) == 2  # bounded: two now, the third next run
    assert tasks.rematch_reserve(engine, clock=utcnow, limit=2) == 1
    assert tasks.rematch_reserve(engine, clock=utcnow, limit=2) == 0
    assert sorted(r.volunteer_id for r in referrals_of(engine, clearinghouse_slug="charlie-vrc")) == people
    with unit_of_work(engine) as session:
        assert {session.get(Volunteer, i).status for i in people} == {"matched"}
