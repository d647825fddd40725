"""Briefs over HTTP: the schedule made on activation, the narrative, briefs on demand, and who may do what."""

from __future__ import annotations

import json

from sqlmodel import select

from surge.kernel.audit import AuditEntry
from surge.kernel.db import unit_of_work
from tests.briefs.setup import bearer, make_incident

BASE = "/api/v1/incidents/gulf-flood"


def test_activation_makes_the_schedule_and_managers_change_it(client, make_token, engine):
    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    schedule = client.get(f"{BASE}/brief-schedule", headers=em)
    assert schedule.status_code == 200, schedule.text
    body = schedule.json()
    assert (body["operational_period_hours"], body["timezone"], body["cron"]) == (12, "America/Chicago", None)
    assert body["period_start"].endswith("T07:00:00") and body["next_brief_at"]
    changed = client.put(f"{BASE}/brief-schedule", headers=em, json={
        "cron": "0 6,18 * * *", "timezone": "America/New_York", "catch_up": False})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["cron"], changed.json()["operational_period_hours"]) == ("0 6,18 * * *", None)
    supervisor = bearer(make_token("supervisor", name="sup"))
    assert client.put(f"{BASE}/brief-schedule", headers=supervisor, json={
        "operational_period_hours": 8, "period_start": "2026-11-27T06:00", "timezone": "America/Chicago"}
    ).status_code == 200
    for role in ("call_taker", "partner", "clearinghouse"):
        assert client.put(f"{BASE}/brief-schedule", headers=bearer(make_token(role, name=role)), json={
            "cron": "0 7 * * *", "timezone": "UTC"}).status_code == 403
    with unit_of_work(engine) as session:
        actions = session.exec(select(AuditEntry.action).where(AuditEntry.action.like("brief_schedule.%"))
                               .order_by(AuditEntry.id)).all()
    assert actions == ["brief_schedule.create", "brief_schedule.update", "brief_schedule.update"]


def test_bad_cron_or_zone_is_a_422_with_a_message(client, make_token):
    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    for body, field in [({"cron": "0 25 * * *", "timezone": "UTC"}, "cron"),
                        ({"cron": "0 7 * * *", "timezone": "Mars/Olympus"}, "timezone"),
                        ({"operational_period_hours": 200, "period_start": "2026-11-27T07:00", "timezone": "UTC"},
                         "operational_period_hours")]:
        answer = client.put(f"{BASE}/brief-schedule", headers=em, json=body)
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["fields"][field].strip()


def test_narrative_is_bounded_and_kept_verbatim(client, make_token, engine):
    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    script = '<script>alert("x")</script> & "quotes"'
    kept = client.put(f"{BASE}/narrative", headers=em, json={"situation": script, "actions": "Shelters open.",
                                                             "rumor_control": "", "next_steps": "Reopen roads."})
    assert kept.status_code == 200, kept.text
    partner = bearer(make_token("partner", name="p"))
    assert client.post("/api/v1/brief-subscriptions", json={"incident": "gulf-flood"}, headers=partner).status_code == 201
    read = client.get(f"{BASE}/narrative", headers=partner)
    assert read.headers["content-type"].startswith("application/json")
    assert read.json()["situation"] == script
    huge = client.put(f"{BASE}/narrative", headers=em, json={"situation": "x" * 1_000_000})
    assert huge.status_code in (413, 422) and huge.json()["error"]["message"].strip()
    too_long = client.put(f"{BASE}/narrative", headers=em, json={"situation": "x" * 25_000})
    assert too_long.status_code == 422 and "situation" in too_long.json()["error"]["fields"]
    together = client.put(f"{BASE}/narrative", headers=em, json={part: "x" * 17_000 for part in (
        "situation", "actions", "rumor_control", "next_steps")})
    assert together.status_code == 422 and together.json()["error"]["fields"]["body"].strip()
    assert client.put(f"{BASE}/narrative", headers=bearer(make_token("call_taker", name="ct")),
                      json={"situation": "x"}).status_code == 403
    made = client.post(f"{BASE}/briefs", headers=em)
    brief = client.get(f"{BASE}/briefs/{made.json()['number']}.json", headers=em)
    assert brief.json()["narrative"]["situation"] == script and "<script>" in brief.text
    with unit_of_work(engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "brief_narrative.update")).one()
    assert json.loads(entry.diff)["changed"] == ["situation", "actions", "next_steps"]


def test_briefs_on_demand_are_numbered_listed_and_read_whole(client, make_token):
    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    partner = bearer(make_token("partner", name="partner"))
    assert client.post("/api/v1/brief-subscriptions", json={"counties": ["48201"]}, headers=partner).status_code == 201
    first = client.post(f"{BASE}/briefs", headers=em)
    assert first.status_code == 201, first.text
    assert (first.json()["number"], first.json()["version"]) == (1, "initial")
    second = client.post(f"{BASE}/briefs", headers=partner)  # any reader of the incident may ask for one
    assert (second.status_code, second.json()["number"], second.json()["version"]) == (201, 2, "update")
    listed = client.get(f"{BASE}/briefs", headers=partner).json()["briefs"]
    assert [(b["number"], b["kind"]) for b in listed] == [(2, "on_demand"), (1, "on_demand")]
    whole = client.get(f"{BASE}/briefs/2.json", headers=partner)
    assert whole.status_code == 200, whole.text
    body = whole.json()
    assert (body["incident"], body["exercise"], body["number"], body["approved_by"]) == ("gulf-flood", True, 2, None)
    assert body["prepared_by"].startswith("token:") and body["next_brief_at"]
    figures = body["figures"]
    assert figures["needs"]["no_data"] is True and figures["needs"]["by_county"] == []
    assert {"calls", "overflow", "volunteers", "donations", "clearinghouses", "key_figures"} <= set(figures)
    assert figures["calls"]["no_data"] and figures["volunteers"]["no_data"] and figures["donations"]["no_data"]
    assert figures["key_figures"]["calls_offered"] == {"value": 0, "previous": 0, "change": 0}
    assert client.get(f"{BASE}/briefs/3.json", headers=em).status_code == 404
    assert client.get(f"{BASE}/briefs/0.json", headers=em).status_code == 422


def test_a_draft_incident_has_no_brief_and_no_schedule(client, make_token):
    em = bearer(make_token("emergency_manager"))
    make_incident(client, em, activate=False)
    draft = client.post(f"{BASE}/briefs", headers=em)
    assert draft.status_code == 409 and draft.json()["error"]["message"].strip()
    assert client.get(f"{BASE}/brief-schedule", headers=em).status_code == 404


def test_who_may_read_briefs(client, make_token):
    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    phone = bearer(make_token("phone_system", name="phone"))
    for path in ("brief-schedule", "narrative", "briefs"):
        assert client.get(f"{BASE}/{path}", headers=phone).status_code == 403
        assert client.get(f"/api/v1/incidents/nowhere/{path}", headers=em).status_code == 404
        assert client.get(f"{BASE}/{path}").status_code == 401
    assert client.post(f"{BASE}/briefs", headers=phone).status_code == 403
    assert client.post("/api/v1/incidents/nowhere/briefs", headers=em).status_code == 404
    for role in ("admin", "supervisor", "call_taker", "clearinghouse"):
        assert client.get(f"{BASE}/briefs", headers=bearer(make_token(role, name=role))).status_code == 200
    partner = bearer(make_token("partner", name="partner"))
    assert client.get(f"{BASE}/briefs", headers=partner).status_code == 404  # not subscribed
    assert client.post("/api/v1/brief-subscriptions", json={"incident": "gulf-flood"}, headers=partner).status_code == 201
    assert client.get(f"{BASE}/briefs", headers=partner).status_code == 200


def test_a_manager_approves_a_brief_once_and_its_header_names_them(client, make_token, engine):
    manager = bearer(make_token("emergency_manager", name="Dana Manager"))
    make_incident(client, manager)
    taker = bearer(make_token("call_taker", name="taker"))
    assert client.post("/api/v1/incidents/gulf-flood/briefs", headers=taker).status_code == 201
    url = "/api/v1/incidents/gulf-flood/briefs/1/approve"
    assert client.post(url, headers=taker).status_code == 403
    assert client.get("/api/v1/incidents/gulf-flood/briefs/1.json", headers=taker).json()["approved_by"] is None
    approved = client.post(url, headers=manager)
    assert approved.status_code == 200, approved.text
    who = approved.json()["approved_by"]
    assert who and "Dana Manager" in who
    assert client.get("/api/v1/incidents/gulf-flood/briefs", headers=taker).json()["briefs"][0]["approved_by"] == who
    page = client.get("/api/v1/incidents/gulf-flood/briefs/1.html", headers=taker)
    assert "Not approved" not in page.text and "Dana Manager" in page.text
    again = client.post(url, headers=bearer(make_token("supervisor", name="Sam")))
    assert again.status_code == 409 and "approved already" in again.json()["error"]["message"]
    assert client.post("/api/v1/incidents/gulf-flood/briefs/9/approve", headers=manager).status_code == 404
    with unit_of_work(engine) as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.action == "brief.approve")).all()
    assert [entry.target_id for entry in entries] == ["gulf-flood/1"]
