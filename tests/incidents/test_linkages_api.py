"""Linkages by hand, the incident's answer listing them, and the activation preview that stores nothing."""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import select

from clearinghouse.models import Clearinghouse
from surge.centers import agreements
from surge.centers.models import AgreementIn
from surge.kernel.audit import AuditEntry
from surge.kernel.db import run_in_transaction, unit_of_work
from surge.kernel.validation import validate
from surge.outbox.models import OutboxMessage
from surge.schema import metadata
from tests.conftest import TEST_ACTOR
from tests.incidents.linkage_setup import INCIDENT, LINKED, make_network


def bearer(token):
    return {"authorization": f"Bearer {token}"}


def test_linking_by_hand_is_audited_and_only_for_emergency_managers(client, make_token, make_clearinghouse, engine):
    make_network(make_clearinghouse, engine)
    em = bearer(make_token("emergency_manager"))
    client.post("/api/v1/incidents", json=INCIDENT, headers=em)
    url = "/api/v1/incidents/harvey/linkages/no-protocol"
    for role in ("supervisor", "partner", "clearinghouse", "call_taker"):
        who = bearer(make_token(role, name=role))
        assert client.put(url, json={"state": "linked", "reason": "x"}, headers=who).status_code == 403, role
    assert client.put("/api/v1/incidents/harvey/linkages/nobody", json={"state": "linked", "reason": "x"},
                      headers=em).status_code == 404
    assert client.put("/api/v1/incidents/none/linkages/no-protocol", json={"state": "linked", "reason": "x"},
                      headers=em).status_code == 404
    assert client.put(url, json={"state": "sideways", "reason": "x"}, headers=em).status_code == 422
    assert client.put(url, json={"state": "linked"}, headers=em).status_code == 422  # a reason is required
    # Linked by hand before activation: no protocol needed, and told when the incident activates.
    made = client.put(url, json={"state": "linked", "reason": "mutual aid"}, headers=em)
    assert made.status_code == 200, made.text
    assert made.json() == {"clearinghouse": "no-protocol", "name": "Volunteer Louisiana", "kind": "volunteer_center",
                           "state": "linked", "source": "manual", "protocol_id": None, "ack_hours": None}
    with unit_of_work(engine) as session:
        assert session.exec(select(OutboxMessage)).all() == []  # a draft tells nobody
    client.post("/api/v1/incidents/harvey/activate", json={"reason": "landfall"}, headers=em)
    detail = client.get("/api/v1/incidents/harvey", headers=bearer(make_token("partner", name="reader")))
    assert detail.status_code == 200
    linkages = {l["clearinghouse"]: l for l in detail.json()["linkages"]}
    assert sorted(linkages) == sorted([*LINKED, "no-protocol"])
    assert linkages["houston-vrc"]["source"] == "protocol" and linkages["houston-vrc"]["ack_hours"] == 12
    with unit_of_work(engine) as session:
        told = session.exec(select(OutboxMessage).where(OutboxMessage.recipient == "duty@example.org")).all()
    assert sorted(m.key.split(":")[-3] for m in told) == ["houston-vrc", "no-protocol"]
    no_protocol = next(m for m in told if ":no-protocol:" in m.key)
    assert "as soon as you can" in no_protocol.body["text"]
    # Linked by hand while active: told at once; linking it again tells nobody twice.
    late = client.put("/api/v1/incidents/harvey/linkages/fires-only", json={"state": "linked", "reason": "more hands"},
                      headers=em)
    assert late.json()["protocol_id"] is None  # its protocol is for fires
    client.put("/api/v1/incidents/harvey/linkages/fires-only", json={"state": "linked", "reason": "again"},
               headers=em)
    with unit_of_work(engine) as session:
        fires = session.exec(select(OutboxMessage).where(OutboxMessage.key.contains(":fires-only:"))).all()
        entries = session.exec(select(AuditEntry).where(AuditEntry.action == "incident.linkage")
                               .order_by(AuditEntry.id)).all()
    assert len(fires) == 3  # two e-mails and the webhook, once
    assert len(entries) == 3 and '"reason": "mutual aid"' in entries[0].diff
    assert entries[0].actor.startswith("token:") and '"to": "linked"' in entries[0].diff
    client.post("/api/v1/incidents/harvey/stand-down", json={"reason": "x"}, headers=em)
    client.post("/api/v1/incidents/harvey/stand-down", json={"reason": "x"}, headers=em)
    closed = client.put(url, json={"state": "paused", "reason": "x"}, headers=em)
    assert closed.status_code == 409


def test_an_inactive_clearinghouse_cannot_be_linked_by_hand_but_can_be_paused(client, make_token, make_clearinghouse,
                                                                            engine):
    make_network(make_clearinghouse, engine)
    make_clearinghouse("dormant-vrc", name="Dormant VRC")
    with unit_of_work(engine) as session:  # no route retires a clearinghouse yet: an operator did, in SQL
        session.execute(update(Clearinghouse).where(Clearinghouse.slug == "dormant-vrc").values(active=False))
    em = bearer(make_token("emergency_manager"))
    client.post("/api/v1/incidents", json=INCIDENT, headers=em)
    url = "/api/v1/incidents/harvey/linkages/dormant-vrc"
    refused = client.put(url, json={"state": "linked", "reason": "mutual aid"}, headers=em)
    assert refused.status_code == 409 and "inactive" in refused.json()["error"]["message"]
    spanish = client.put(url, json={"state": "linked", "reason": "x"}, headers={**em, "accept-language": "es"})
    assert spanish.status_code == 409 and "inactiva" in spanish.json()["error"]["message"]
    assert "inactive" not in spanish.json()["error"]["message"]
    with unit_of_work(engine) as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "incident.linkage")).all() == []
    assert client.put(url, json={"state": "paused", "reason": "on hold"}, headers=em).status_code == 200


def _counts(engine) -> dict[str, int]:
    with unit_of_work(engine) as session:
        return {table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
                for table in metadata.sorted_tables}


def test_preview_answers_what_activation_would_bring_in_and_stores_nothing(client, make_token, make_center,
                                                                           make_clearinghouse, engine):
    make_network(make_clearinghouse, engine)
    make_center("houston-211")
    make_center("austin-211")
    for body in ({"from": "houston-211", "to": "austin-211", "triggers": {"calls_waiting": 10},
                  "disaster_only": True},
                 {"from": "austin-211", "to": "houston-211", "triggers": {"calls_waiting": 10}, "disaster_only": True},
                 {"from": "houston-211", "to": "austin-211", "priority": 2, "triggers": {"always": True}}):
        run_in_transaction(engine, agreements.create, data=validate(AgreementIn, body), actor=TEST_ACTOR)
    em = bearer(make_token("emergency_manager"))
    before = _counts(engine)
    body = {key: value for key, value in INCIDENT.items() if key != "slug"}
    answer = client.post("/api/v1/incidents/preview", json=body, headers=em)
    assert answer.status_code == 200, answer.text
    preview = answer.json()
    assert preview["counties"] == ["48167", "48201"] and preview["polygon"]["type"] in ("Polygon", "MultiPolygon")
    assert [c["clearinghouse"] for c in preview["clearinghouses"]] == LINKED
    assert [(a["from_center"], a["to_center"], a["counties"]) for a in preview["agreements"]] == [
        ("houston-211", "austin-211", ["48201"])]
    # The body of a new incident, slug and all, is taken as it is; an exercise brings no agreement in.
    exercise = client.post("/api/v1/incidents/preview", json={**INCIDENT, "exercise": True}, headers=em).json()
    assert exercise["agreements"] == [] and len(exercise["clearinghouses"]) == 2
    drawn = client.post("/api/v1/incidents/preview", headers=em, json={**body, "area": {"zips": ["77002"]}})
    assert drawn.json()["counties"] == ["48201"]
    assert _counts(engine) == before
    assert client.post("/api/v1/incidents/preview", json={**body, "type": "Meteor"}, headers=em).status_code == 422
    partner = bearer(make_token("partner", name="partner"))
    assert client.post("/api/v1/incidents/preview", json=body, headers=partner).status_code == 403


def test_a_spanish_speaking_clearinghouse_is_written_to_in_spanish(client, make_token, make_clearinghouse, engine):
    from tests.incidents.linkage_setup import DELIVERY, HURRICANE

    make_clearinghouse("houston-vrc", counties=["48201"], location={"zip": "77002"}, delivery=DELIVERY,
                       protocols=[HURRICANE])
    make_clearinghouse("vrc-boricua", name="VRC Boricua", counties=["48201"], location={"zip": "77002"},
                       languages=["es"], delivery={"emails": ["coordinacion@example.org"]}, protocols=[HURRICANE])
    em = bearer(make_token("emergency_manager"))
    client.post("/api/v1/incidents", json=INCIDENT, headers=em)
    assert client.post("/api/v1/incidents/harvey/activate", json={"reason": "landfall"}, headers=em).status_code == 200
    taker = bearer(make_token("call_taker", name="taker"))
    registered = client.post("/api/v1/incidents/harvey/volunteers", headers=taker, json={
        "name": "Ana", "phone": "713-555-0101", "zip": "77002", "skills": ["muck_out"],
        "consents": {"share_with_clearinghouses": True}})
    assert "vrc-boricua" in [r["clearinghouse"] for r in registered.json()["referrals"]], registered.text
    with unit_of_work(engine) as session:
        subjects = {(m.recipient, m.topic): m.subject for m in session.exec(select(OutboxMessage)).all()}
    referral = next(r["id"] for r in registered.json()["referrals"] if r["clearinghouse"] == "vrc-boricua")
    agency = bearer(make_token("clearinghouse", name="boricua", clearinghouse="vrc-boricua"))
    assert client.post(f"/api/v1/referrals/{referral}/acknowledge", headers=agency, json={}).status_code == 200
    with unit_of_work(engine) as session:
        acknowledged = session.exec(select(OutboxMessage).where(OutboxMessage.topic == "referral.acknowledged")).one()
    assert acknowledged.recipient == "coordinacion@example.org"
    assert acknowledged.body["text"] == f"Se acusó recibo de la derivación {referral} (muck_out)."
    assert subjects[("coordinacion@example.org", "incident.activated")] == \
        "Hurricane Harvey activado (Hurricane, nivel 3)"
    assert subjects[("coordinacion@example.org", "referral.sent")] == f"Nueva derivación {referral}"
    assert subjects[("duty@example.org", "incident.activated")] == "Hurricane Harvey activated (Hurricane, level 3)"
