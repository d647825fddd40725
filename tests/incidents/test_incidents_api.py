"""Incidents over HTTP: areas in three forms, the lifecycle, audit, and disaster-only agreements in routing."""

from __future__ import annotations

from sqlmodel import select

from surge.kernel.audit import AuditEntry
from surge.kernel.db import unit_of_work

GULF = {"slug": "harvey-exercise", "name": "Hurricane exercise", "type": "Hurricane", "exercise": False,
        "level": 3, "timezone": "America/Chicago", "area": {"counties": ["48201", "48167"]}}


def bearer(token):
    return {"authorization": f"Bearer {token}"}


def test_an_emergency_manager_drafts_activates_and_stands_down(client, make_token, engine):
    em = bearer(make_token("emergency_manager"))
    made = client.post("/api/v1/incidents", json=GULF, headers=em)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["status"] == "draft" and body["counties"] == ["48167", "48201"]
    assert body["area"]["type"] in ("Polygon", "MultiPolygon") and body["area_source"] == "counties"
    first = client.post("/api/v1/incidents/harvey-exercise/activate", json={"reason": "landfall"}, headers=em)
    assert first.status_code == 200 and first.json()["status"] == "active"
    again = client.post("/api/v1/incidents/harvey-exercise/activate", json={"reason": "double click"}, headers=em)
    assert again.json() == first.json()  # activating twice changes nothing
    down = client.post("/api/v1/incidents/harvey-exercise/stand-down", json={"reason": "water receding"},
                       headers=em)
    assert down.json()["status"] == "demobilizing"
    closed = client.post("/api/v1/incidents/harvey-exercise/stand-down", json={"reason": "done"}, headers=em)
    assert closed.json()["status"] == "closed"
    assert client.post("/api/v1/incidents/harvey-exercise/activate", json={"reason": "x"}, headers=em).status_code \
        == 409
    with unit_of_work(engine) as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.target_type == "incident")
                               .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["incident.create", "incident.active", "incident.demobilizing",
                                           "incident.closed"]
    assert '"reason": "landfall"' in entries[1].diff and entries[1].actor.startswith("token:")


def test_areas_from_zip_codes_and_geojson(client, make_token):
    em = bearer(make_token("emergency_manager"))
    by_zip = client.post("/api/v1/incidents", headers=em, json={**GULF, "slug": "by-zip",
                                                                 "area": {"zips": ["77002", "70112"]}})
    assert by_zip.status_code == 201, by_zip.text
    assert by_zip.json()["counties"] == ["22071", "48201"]
    box = {"type": "Polygon", "coordinates": [[[-95.6, 29.6], [-95.1, 29.6], [-95.1, 30.0], [-95.6, 30.0],
                                                [-95.6, 29.6]]]}
    drawn = client.post("/api/v1/incidents", headers=em, json={**GULF, "slug": "drawn", "area": {"geojson": box}})
    assert drawn.status_code == 201, drawn.text
    assert "48201" in drawn.json()["counties"] and drawn.json()["area_source"] == "geojson"


def test_bad_incidents_are_refused_and_nothing_is_stored(client, make_token):
    em = bearer(make_token("emergency_manager"))
    ocean = {"type": "Polygon", "coordinates": [[[-40, 30], [-39, 30], [-39, 31], [-40, 31], [-40, 30]]]}
    cases = [
        ({"area": {"counties": ["99999"]}}, 422), ({"area": {"zips": ["00000"]}}, 422),
        ({"area": {"counties": ["48201"], "zips": ["77002"]}}, 422), ({"area": {}}, 422),
        ({"area": {"geojson": ocean}}, 422), ({"type": "Alien Invasion"}, 422), ({"level": 4}, 422),
        ({"timezone": "Mars/Base"}, 422), ({"slug": "Not A Slug"}, 422),
    ]
    for change, status in cases:
        answer = client.post("/api/v1/incidents", headers=em, json={**GULF, **change})
        assert answer.status_code == status, (change, answer.text)
    assert client.get("/api/v1/incidents", headers=em).json()["incidents"] == []
    assert client.get("/api/v1/incidents/nothing-here", headers=em).status_code == 404


def test_only_emergency_managers_and_admins_activate(client, make_token):
    em = bearer(make_token("emergency_manager"))
    client.post("/api/v1/incidents", json=GULF, headers=em)
    for role in ("supervisor", "call_taker", "partner"):
        who = bearer(make_token(role, name=role))
        answer = client.post("/api/v1/incidents/harvey-exercise/activate", json={"reason": "x"}, headers=who)
        assert answer.status_code == 403, role
        assert client.post("/api/v1/incidents", json={**GULF, "slug": f"by-{role.replace('_', '-')}"},
                           headers=who).status_code == 403
    phone = bearer(make_token("phone_system", name="ivr"))
    assert client.get("/api/v1/incidents", headers=phone).status_code == 403


def test_a_real_active_incident_brings_disaster_only_agreements_into_routing(client, make_token, make_center):
    make_center("houston-211")
    make_center("austin-211")
    admin = bearer(make_token("admin"))
    client.post("/api/v1/agreements", headers=admin, json={
        "from": "houston-211", "to": "austin-211", "priority": 1, "triggers": {"always": True},
        "disaster_only": True})
    phone = bearer(make_token("phone_system", name="ivr"))

    def targets():
        return [t["center"] for t in client.get("/api/v1/route?county=48201", headers=phone).json()["targets"]]

    assert targets() == ["houston-211"]
    client.post("/api/v1/incidents", headers=admin, json={**GULF, "slug": "drill", "exercise": True})
    client.post("/api/v1/incidents/drill/activate", json={"reason": "exercise"}, headers=admin)
    assert targets() == ["houston-211"]  # an exercise never moves real calls
    client.post("/api/v1/incidents", headers=admin, json=GULF)
    client.post("/api/v1/incidents/harvey-exercise/activate", json={"reason": "landfall"}, headers=admin)
    assert targets() == ["austin-211", "houston-211"]
    client.post("/api/v1/incidents/harvey-exercise/stand-down", json={"reason": "over"}, headers=admin)
    assert targets() == ["houston-211"]
