"""A brief's figures: the calls as the metrics API counts them for the same window, overflow, intake and
clearinghouses, each section empty with a flag rather than failing."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from surge.briefs.models import Brief
from surge.kernel.db import unit_of_work
from tests.briefs.setup import bearer, make_incident
from tests.briefs.test_production import ACTIVATED, incident, produce  # noqa: F401  (the fixture)

CALLS = [
    ("c1", "offered", "2026-11-20T14:00:00Z", {"caller_zip": "77002"}),
    ("c1", "answered", "2026-11-20T14:00:20Z", {}),
    ("c1", "ended", "2026-11-20T14:05:20Z", {}),
    ("c2", "offered", "2026-11-20T15:10:00Z", {}),
    ("c2", "abandoned", "2026-11-20T15:12:00Z", {}),
    ("c3", "offered", "2026-11-20T15:20:00Z", {}),
    ("c3", "abandoned", "2026-11-20T15:20:02Z", {}),  # a short abandon
    ("c4", "offered", "2026-11-20T16:00:00Z", {}),
    ("c4", "overflowed", "2026-11-20T16:00:30Z", {"to_center": "austin-211"}),
    ("c5", "offered", "2026-11-21T02:00:00Z", {}),  # the next period
]


def post_calls(client, make_token, make_center):
    make_center("austin-211")
    phone = bearer(make_token("phone_system", name="phone"))
    events = [{"center": "houston-211", "call_id": call, "event": kind, "at": at, **extra}
              for call, kind, at, extra in CALLS]
    answer = client.post("/api/v1/calls", json=events, headers=phone)
    assert answer.json()["stored"] == len(CALLS), answer.text


def stored_figures(engine, number):
    with unit_of_work(engine) as session:
        brief = session.exec(select(Brief).where(Brief.number == number)).one()
        return brief, json.loads(brief.figures)


def test_calls_figures_equal_what_the_metrics_api_answers(client, engine, incident, make_token, make_center):
    post_calls(client, make_token, make_center)
    produce(engine)
    brief, figures = stored_figures(engine, 2)  # 13:00 to 01:00 UTC: c1 to c4
    window = {"from": brief.period_start.isoformat(), "to": brief.period_end.isoformat()}
    reader = bearer(make_token("emergency_manager", name="reader"))
    network = client.get("/api/v1/metrics", params=window, headers=reader).json()
    assert {key: value for key, value in network.items() if key not in ("from", "to")} == figures["calls"]["network"]
    assert figures["calls"]["network"]["offered"] == 4 and figures["calls"]["network"]["short_abandoned"] == 1
    [houston] = figures["calls"]["centers"]
    answer = client.get("/api/v1/centers/houston-211/metrics", params=window, headers=reader).json()
    assert {key: value for key, value in answer.items() if key not in ("from", "to")} == houston
    assert figures["calls"]["by_hour"] == [
        {"hour": "2026-11-20T14:00:00Z", "offered": 1, "answered": 1, "abandoned": 0},
        {"hour": "2026-11-20T15:00:00Z", "offered": 2, "answered": 0, "abandoned": 2},
        {"hour": "2026-11-20T16:00:00Z", "offered": 1, "answered": 0, "abandoned": 0}]
    assert figures["overflow"] == {"no_data": False, "total": 1,
                                   "flows": [{"from": "houston-211", "to": "austin-211", "calls": 1}]}
    assert figures["calls"]["no_data"] is False
    _, first = stored_figures(engine, 1)
    assert first["calls"]["no_data"] and first["overflow"]["no_data"] and first["calls"]["by_hour"] == []


def test_intake_and_clearinghouse_sections(app, client, engine, incident, make_token):
    taker = bearer(make_token("call_taker", name="taker"))
    volunteer = client.post("/api/v1/incidents/gulf-flood/volunteers", headers=taker, json={
        "name": "Ana Pérez", "phone": "713-555-0101", "zip": "77002", "skills": ["debris_removal"],
        "consents": {"share_with_clearinghouses": True}})
    donation = client.post("/api/v1/incidents/gulf-flood/donations", headers=taker, json={
        "donor_type": "individual", "name": "Bo Li", "phone": "713-555-0102", "zip": "77002",
        "cash_pledge": 250})
    assert volunteer.status_code in (200, 201) and donation.status_code in (200, 201), (volunteer.text, donation.text)
    app.state.clock = lambda: ACTIVATED + timedelta(hours=2)
    made = client.post("/api/v1/incidents/gulf-flood/briefs", headers=taker)
    assert made.status_code == 201, made.text
    _, figures = stored_figures(engine, made.json()["number"])
    assert figures["volunteers"]["registered"] == 1 and figures["volunteers"]["no_data"] is False
    assert figures["volunteers"]["by_skill"] == [{"skill": "debris_removal", "volunteers": 1}]
    assert figures["donations"]["cash_redirected"] == {"pledges": 1, "amount": 250.0}
    assert figures["clearinghouses"]["no_data"] is True and figures["clearinghouses"]["clearinghouses"] == []
    assert figures["needs"]["no_data"] is True and figures["needs"]["by_county"] == []


def test_intake_figures_count_each_skill_category_and_item_once(app, client, engine, incident, make_token):
    taker = bearer(make_token("call_taker", name="taker"))
    people = [("Ana", "713-555-0101", ["debris_removal", "muck_out"]), ("Bo", "713-555-0102", ["muck_out"]),
              ("Cy", "713-555-0103", ["muck_out", "chainsaw"]), ("Di", "713-555-0104", ["muck_out", "chainsaw"])]
    for name, phone, skills in people:
        answer = client.post("/api/v1/incidents/gulf-flood/volunteers", headers=taker, json={
            "name": name, "phone": phone, "zip": "77002", "skills": skills,
            "consents": {"share_with_clearinghouses": True}})
        assert answer.status_code in (200, 201), answer.text
    offers = [[{"category": "water", "quantity": 2}, {"category": "used_clothing", "quantity": 5}],
              [{"category": "water", "quantity": 1}]]
    for n, items in enumerate(offers):
        answer = client.post("/api/v1/incidents/gulf-flood/donations", headers=taker, json={
            "donor_type": "business", "name": f"Donor {n}", "phone": f"713-555-020{n}", "zip": "77002",
            "items": items, "estimated_value": 100.5 * (n + 1)})
        assert answer.status_code in (200, 201), answer.text
    app.state.clock = lambda: ACTIVATED + timedelta(hours=2)
    made = client.post("/api/v1/incidents/gulf-flood/briefs", headers=taker)
    _, figures = stored_figures(engine, made.json()["number"])
    assert figures["volunteers"]["by_skill"] == [{"skill": "chainsaw", "volunteers": 2},
                                                 {"skill": "debris_removal", "volunteers": 1},
                                                 {"skill": "muck_out", "volunteers": 4}]
    assert figures["volunteers"]["registered"] == 4 and figures["volunteers"]["reserve"] == 4  # no clearinghouse
    donations = figures["donations"]
    assert donations["by_category"] == [{"category": "used_clothing", "items": 1}, {"category": "water", "items": 2}]
    assert (donations["offered"], donations["items"], donations["items_on_file"]) == (2, 3, 3)
    assert donations["estimated_value"] == 301.5 and donations["cash_redirected"] == {"pledges": 0, "amount": 0.0}


def test_a_linked_clearinghouse_at_capacity_is_full_with_a_referral_waiting(app, client, engine, make_token,
                                                                           make_clearinghouse):
    make_clearinghouse("houston-vrc", counties=["48201"], location={"zip": "77002"},
                       delivery={"emails": ["duty@example.org"]}, capacity={"volunteers_per_day": 1},
                       protocols=[{"incident_types": ["Flood"], "ack_hours": 12}])
    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    taker = bearer(make_token("call_taker", name="taker"))
    registered = client.post("/api/v1/incidents/gulf-flood/volunteers", headers=taker, json={
        "name": "Ana Pérez", "phone": "713-555-0101", "zip": "77002", "skills": ["debris_removal"],
        "consents": {"share_with_clearinghouses": True}})
    assert registered.status_code in (200, 201), registered.text
    assert [r["clearinghouse"] for r in registered.json()["referrals"]] == ["houston-vrc"]
    made = client.post("/api/v1/incidents/gulf-flood/briefs", headers=em)
    _, figures = stored_figures(engine, made.json()["number"])
    section = figures["clearinghouses"]
    assert (section["no_data"], section["open"], section["full"], section["awaiting_acknowledgement"]) == \
        (False, 0, 1, 1)
    [vrc] = section["clearinghouses"]
    assert (vrc["clearinghouse"], vrc["status"], vrc["awaiting_acknowledgement"]) == ("houston-vrc", "full", 1)
    assert figures["volunteers"]["referred"] == 1 and figures["volunteers"]["accepted"] == 0
