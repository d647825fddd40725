"""Needs lists: changed by emergency managers and by the clearinghouse itself, only while it is in the incident;
the incident's whole picture as the public page will show it."""

from __future__ import annotations

import json

from sqlmodel import select

from surge.incidents.needs_lists import public_needs
from surge.kernel.audit import AuditEntry
from surge.kernel.db import run_in_transaction, unit_of_work
from tests.incidents.linkage_setup import INCIDENT, make_network

VRC_LIST = {"items": [
    {"code": "water", "status": "needed", "quantity": 500, "note": "pallets of bottled water"},
    {"code": "used_clothing", "status": "not_needed", "note": "<script>alert(1)</script>"},
    {"code": "muck_out", "status": "full"},
]}


def bearer(token):
    return {"authorization": f"Bearer {token}"}


def _setup(client, make_token, make_clearinghouse, engine):
    make_network(make_clearinghouse, engine)
    em = bearer(make_token("emergency_manager"))
    client.post("/api/v1/incidents", json=INCIDENT, headers=em)
    client.post("/api/v1/incidents/harvey/activate", json={"reason": "landfall"}, headers=em)
    return em


def test_a_clearinghouse_keeps_its_own_list_and_no_other(client, make_token, make_clearinghouse, engine):
    em = _setup(client, make_token, make_clearinghouse, engine)
    mine = bearer(make_token("clearinghouse", name="vrc", clearinghouse="houston-vrc"))
    other = bearer(make_token("clearinghouse", name="area", clearinghouse="drawn-area"))
    url = "/api/v1/incidents/harvey/needs/houston-vrc"
    put = client.put(url, json=VRC_LIST, headers=mine)
    assert put.status_code == 200, put.text
    items = put.json()["items"]
    # In the taxonomy's order (skills first); a note's script is kept as text, escaping is the page's job.
    assert [(i["code"], i["status"]) for i in items] == [("muck_out", "full"), ("water", "needed"),
                                                        ("used_clothing", "not_needed")]
    assert items[2]["note"] == "<script>alert(1)</script>" and items[1]["quantity"] == 500
    assert items[1]["updated_by"].startswith("token:")
    assert client.put(url, json=VRC_LIST, headers=other).status_code == 403
    assert client.put(url, json=VRC_LIST, headers=bearer(make_token("supervisor", name="sup"))).status_code == 403
    # Replacing the whole list; emergency managers may too.
    again = client.put(url, json={"items": [{"code": "water", "status": "full"}]}, headers=em)
    assert [(i["code"], i["status"]) for i in again.json()["items"]] == [("water", "full")]
    assert client.get(url, headers=other).json()["items"][0]["status"] == "full"
    with unit_of_work(engine) as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.action == "clearinghouse.needs")
                               .order_by(AuditEntry.id)).all()
    assert len(entries) == 2
    assert json.loads(entries[1].diff) == {"incident": "harvey", "after": {"water": "full"}, "before": {
        "muck_out": "full", "used_clothing": "not_needed", "water": "needed (500)"}}


def test_lists_only_for_clearinghouses_in_the_incident_and_only_known_codes(client, make_token, make_clearinghouse,
                                                                           engine):
    em = _setup(client, make_token, make_clearinghouse, engine)
    assert client.put("/api/v1/incidents/harvey/needs/far-away", json=VRC_LIST, headers=em).status_code == 409
    client.put("/api/v1/incidents/harvey/linkages/drawn-area", json={"state": "paused", "reason": "x"}, headers=em)
    assert client.put("/api/v1/incidents/harvey/needs/drawn-area", json=VRC_LIST, headers=em).status_code == 200
    client.put("/api/v1/incidents/harvey/linkages/drawn-area", json={"state": "unlinked", "reason": "x"}, headers=em)
    assert client.put("/api/v1/incidents/harvey/needs/drawn-area", json=VRC_LIST, headers=em).status_code == 409
    assert client.put("/api/v1/incidents/harvey/needs/nobody", json=VRC_LIST, headers=em).status_code == 404
    assert client.put("/api/v1/incidents/none/needs/houston-vrc", json=VRC_LIST, headers=em).status_code == 404
    url = "/api/v1/incidents/harvey/needs/houston-vrc"
    unknown = client.put(url, json={"items": [{"code": "water", "status": "needed"},
                                              {"code": "unicorns", "status": "needed"}]}, headers=em)
    assert unknown.status_code == 422 and "unicorns" in unknown.json()["error"]["message"]
    assert "items.1.code" in unknown.json()["error"]["fields"]
    for bad in ({"items": [{"code": "water", "status": "maybe"}]},
                {"items": [{"code": "water", "status": "needed", "quantity": -1}]},
                {"items": [{"code": "water", "status": "needed", "note": "x" * 501}]},
                {"items": [{"code": "water", "status": "needed"}, {"code": "water", "status": "full"}]},
                {"items": [{"code": "water", "status": "needed"}] * 201}):
        assert client.put(url, json=bad, headers=em).status_code == 422
    assert client.get(url, headers=em).json()["items"] == []  # nothing half-stored


def test_the_incident_s_needs_together(client, make_token, make_clearinghouse, engine):
    make_clearinghouse("houston-vrc", counties=["48201"], protocols=[{"incident_types": ["Hurricane"]}],
                       accepts={"skills": ["muck_out"], "cash_url": "https://example.org/give"})
    make_clearinghouse("drawn-area", counties=["48201"], protocols=[{"incident_types": ["Hurricane"]}])
    em = bearer(make_token("emergency_manager"))
    client.post("/api/v1/incidents", json=INCIDENT, headers=em)
    client.post("/api/v1/incidents/harvey/activate", json={"reason": "landfall"}, headers=em)
    client.put("/api/v1/incidents/harvey/needs/houston-vrc", json=VRC_LIST, headers=em)
    client.put("/api/v1/incidents/harvey/needs/drawn-area", headers=em, json={"items": [
        {"code": "used_clothing", "status": "full"}, {"code": "water", "status": "not_needed"},
        {"code": "bedding", "status": "not_needed"}]})
    answer = client.get("/api/v1/incidents/harvey/needs", headers=bearer(make_token("partner", name="p")))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [(n["code"], [c["clearinghouse"] for c in n["clearinghouses"]]) for n in body["needed"]] == [
        ("water", ["houston-vrc"])]
    assert [n["code"] for n in body["full"]] == ["muck_out", "used_clothing"]
    assert [n["code"] for n in body["not_needed"]] == ["bedding"]
    vrc = next(c for c in body["clearinghouses"] if c["clearinghouse"] == "houston-vrc")
    assert vrc["cash_url"] == "https://example.org/give" and vrc["needed"] == ["water"]
    assert run_in_transaction(engine, public_needs, incident_slug="harvey").model_dump(mode="json") == body
    assert client.get("/api/v1/incidents/none/needs", headers=em).status_code == 404
