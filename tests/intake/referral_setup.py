"""Three clearinghouses around Houston that all take muck-out volunteers and water, an active hurricane
incident linking them, and helpers to register people and read what was sent."""

from __future__ import annotations

import pytest
from sqlmodel import select

from surge.intake.models import Referral
from surge.kernel.audit import AuditEntry
from surge.kernel.db import unit_of_work
from surge.outbox.models import OutboxMessage

INCIDENT = {"slug": "harvey", "name": "Hurricane Harvey", "type": "Hurricane", "exercise": False, "level": 3,
            "timezone": "America/Chicago", "area": {"counties": ["48201"]}}
# Same place, so they rank by slug: alpha and bravo get a volunteer (two a volunteer), alpha an item (one).
SLUGS = ["alpha-vrc", "bravo-vrc", "charlie-vrc"]
ACK_HOURS = 12


def bearer(token: str) -> dict:
    return {"authorization": f"Bearer {token}"}


@pytest.fixture
def network(client, make_clearinghouse, make_token, engine):
    for slug in SLUGS:
        make_clearinghouse(slug, counties=["48201"], location={"zip": "77002"},
                           accepts={"skills": ["muck_out"], "donation_categories": ["water"]},
                           delivery={"emails": [f"{slug}@example.org"], "webhook_url": f"https://hooks.example.org/{slug}",
                                     "webhook_secret": "s" * 24},
                           protocols=[{"incident_types": ["Hurricane"], "ack_hours": ACK_HOURS,
                                       "escalation": {"name": "Duty lead", "phone": "+1 713 555 0100",
                                                      "email": f"lead-{slug}@example.org"}}])
    em = bearer(make_token("emergency_manager", name="em"))
    assert client.post("/api/v1/incidents", json=INCIDENT, headers=em).status_code == 201
    assert client.post("/api/v1/incidents/harvey/activate", json={"reason": "landfall"}, headers=em).status_code == 200
    return {"em": em, "caller": bearer(make_token("call_taker", name="desk")),
            **{slug: bearer(make_token("clearinghouse", name=slug, clearinghouse=slug)) for slug in SLUGS}}


def register(client, headers, **changes) -> dict:
    body = {"name": "Ana Pérez", "phone": "713-555-0142", "email": "ana@example.org", "zip": "77002",
            "skills": ["muck_out"], "travel_miles": 30, "languages": ["en"],
            "consents": {"share_with_clearinghouses": True}, **changes}
    answer = client.post("/api/v1/incidents/harvey/volunteers", headers=headers, json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def offer_water(client, headers) -> dict:
    answer = client.post("/api/v1/incidents/harvey/donations", headers=headers, json={
        "name": "Water Co", "donor_type": "business", "phone": "713-555-0100", "email": "sales@water.example",
        "zip": "77002", "items": [{"category": "water", "quantity": 2, "unit": "pallets", "packaging": "palletised"}]})
    assert answer.status_code == 201, answer.text
    return answer.json()


def referrals_of(engine, **where) -> list[Referral]:
    with unit_of_work(engine) as session:
        query = select(Referral).order_by(Referral.id)
        for name, value in where.items():
            query = query.where(getattr(Referral, name) == value)
        return list(session.exec(query))


def outbox(engine, topic: str | None = None) -> list[OutboxMessage]:
    with unit_of_work(engine) as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if topic:
            query = query.where(OutboxMessage.topic == topic)
        return list(session.exec(query))


def audits(engine, action: str) -> list[AuditEntry]:
    with unit_of_work(engine) as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))
