"""Clearinghouses over HTTP: who may change which, the write-only webhook secret, ties by foreign key."""

from __future__ import annotations

from sqlmodel import select

from clearinghouse.models import Clearinghouse
from surge.kernel.audit import AuditEntry
from surge.kernel.db import unit_of_work

VRC = {"slug": "houston-vrc", "name": "Houston Volunteer Reception Center", "kind": "volunteer_reception_center",
       "counties": ["48201"], "location": {"lat": 29.76, "lon": -95.37}, "radius_miles": 40,
       "accepts": {"skills": ["debris_removal", "chainsaw"], "donation_categories": ["water", "cash"],
                   "cash_url": "https://example.org/give"},
       "capacity": {"volunteers_per_day": 200}, "languages": ["en", "es"],
       "contacts": [{"name": "Dana Duty", "role": "duty officer", "phone": "+1 713 555 0100"}],
       "delivery": {"emails": ["Referrals@Example.org"], "webhook_url": "https://example.org/hook",
                    "webhook_secret": "s3cret-s3cret-s3cret"}}


def bearer(token):
    return {"authorization": f"Bearer {token}"}


def test_an_emergency_manager_adds_one_and_the_secret_never_comes_back(client, make_token, engine):
    em = bearer(make_token("emergency_manager"))
    made = client.post("/api/v1/clearinghouses", json=VRC, headers=em)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["delivery"] == {"emails": ["referrals@example.org"], "webhook_url": "https://example.org/hook",
                                "webhook_secret_set": True}
    assert "s3cret" not in made.text
    listed = client.get("/api/v1/clearinghouses", headers=em).json()["clearinghouses"]
    assert [c["slug"] for c in listed] == ["houston-vrc"] and "s3cret" not in str(listed)
    # Leaving the secret out of a change keeps the stored one.
    changed = {k: v for k, v in VRC.items() if k != "slug"}
    changed["delivery"] = {"emails": [], "webhook_url": "https://example.org/hook2"}
    assert client.put("/api/v1/clearinghouses/houston-vrc", json=changed, headers=em).status_code == 200
    with unit_of_work(engine) as session:
        row = session.get(Clearinghouse, "houston-vrc")
        assert row.webhook_secret == "s3cret-s3cret-s3cret" and row.webhook_url == "https://example.org/hook2"
        diffs = [e.diff for e in session.exec(select(AuditEntry).where(AuditEntry.target_type == "clearinghouse"))]
    assert len(diffs) == 2 and not any("s3cret" in d or "555" in d for d in diffs)


def test_bad_clearinghouses_are_refused(client, make_token):
    em = bearer(make_token("emergency_manager"))
    for change, field in [({"kind": "club"}, "kind"), ({"counties": ["99999"]}, "counties"),
                          ({"accepts": {"skills": ["juggling"]}}, "accepts.skills"),
                          ({"location": {"zip": "00000"}}, "location.zip"),
                          ({"location": {"lat": 29.7}}, "location"),
                          ({"delivery": {"webhook_url": "javascript:alert(1)"}}, "delivery.webhook_url"),
                          ({"delivery": {"webhook_secret": "short"}}, "delivery.webhook_secret"),
                          ({"counties": [], "area": None}, "body")]:
        answer = client.post("/api/v1/clearinghouses", json={**VRC, **change}, headers=em)
        assert answer.status_code == 422, (change, answer.text)
        assert field in answer.json()["error"]["fields"], (change, answer.json())
    assert client.get("/api/v1/clearinghouses", headers=em).json()["clearinghouses"] == []


def test_a_coordinator_changes_only_their_own(client, make_token, make_clearinghouse):
    make_clearinghouse("volunteer-louisiana")
    em = bearer(make_token("emergency_manager"))
    client.post("/api/v1/clearinghouses", json=VRC, headers=em)
    coordinator = bearer(make_token("clearinghouse", name="coordinator", clearinghouse="volunteer-louisiana"))
    mine = {k: v for k, v in VRC.items() if k != "slug"}
    assert client.put("/api/v1/clearinghouses/volunteer-louisiana", json=mine, headers=coordinator).status_code == 200
    assert client.put("/api/v1/clearinghouses/houston-vrc", json=mine, headers=coordinator).status_code == 403
    assert client.post("/api/v1/clearinghouses", json={**VRC, "slug": "x"}, headers=coordinator).status_code == 403
    for role in ("supervisor", "partner"):
        assert client.put("/api/v1/clearinghouses/houston-vrc", json=mine,
                          headers=bearer(make_token(role, name=role))).status_code == 403


def test_a_tie_to_an_unknown_clearinghouse_is_refused(engine):
    from surge.accounts.models import ApiTokenIn
    from surge.accounts.tokens import create_token
    from surge.kernel.db import run_in_transaction
    from surge.kernel.errors import ValidationFailed
    from surge.kernel.validation import validate
    from tests.conftest import TEST_ACTOR

    data = validate(ApiTokenIn, {"name": "x", "role": "clearinghouse", "clearinghouse_slug": "nobody-here"})
    try:
        run_in_transaction(engine, create_token, data=data, actor=TEST_ACTOR)
    except ValidationFailed as exc:
        assert exc.fields == {"clearinghouse_slug": "Unknown clearinghouse."}
    else:
        raise AssertionError("a token tied to an unknown clearinghouse was made")
