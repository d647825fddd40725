"""Clearinghouse protocols over HTTP: made inline or one by one, checked against what the clearinghouse accepts."""

from __future__ import annotations

from sqlmodel import select

from surge.kernel.audit import AuditEntry
from surge.kernel.db import unit_of_work

VRC = {"slug": "houston-vrc", "name": "Houston Volunteer Reception Center", "kind": "volunteer_reception_center",
       "counties": ["48201"], "location": {"lat": 29.76, "lon": -95.37},
       "accepts": {"skills": ["debris_removal", "chainsaw", "muck_out"], "donation_categories": ["water", "cash"]},
       "delivery": {"emails": ["duty@example.org"]}}
HURRICANES = {"incident_types": ["Hurricane", "Flood"], "skills": ["debris_removal", "muck_out"], "ack_hours": 12,
              "escalation": {"name": "Duty officer", "phone": "+1 713 555 0100", "email": "Duty@Example.org"},
              "mou": "Signed with Harris County OEM, 2026", "valid_from": "2026-01-01", "valid_to": "2027-12-31"}


def bearer(token):
    return {"authorization": f"Bearer {token}"}


def _changed(body: dict, **change) -> dict:
    return {**{k: v for k, v in body.items() if k != "slug"}, **change}


def test_protocols_made_inline_are_answered_with_their_ids_and_replaced_only_when_given(client, make_token):
    em = bearer(make_token("emergency_manager"))
    made = client.post("/api/v1/clearinghouses", json={**VRC, "protocols": [HURRICANES]}, headers=em)
    assert made.status_code == 201, made.text
    [protocol] = made.json()["protocols"]
    assert protocol["id"] >= 1 and protocol["incident_types"] == ["Hurricane", "Flood"]
    assert protocol["escalation"]["email"] == "duty@example.org" and protocol["valid_to"] == "2027-12-31"
    # A change that leaves protocols out keeps them; one that gives them replaces the set.
    kept = client.put("/api/v1/clearinghouses/houston-vrc", json=_changed(VRC, hours="24/7"), headers=em)
    assert [p["id"] for p in kept.json()["protocols"]] == [protocol["id"]]
    replaced = client.put("/api/v1/clearinghouses/houston-vrc", headers=em, json=_changed(
        VRC, protocols=[{"incident_types": ["Fire"]}, {"incident_types": ["Tornado"], "donation_categories": ["water"]}]))
    assert replaced.status_code == 200, replaced.text
    assert [p["incident_types"] for p in replaced.json()["protocols"]] == [["Fire"], ["Tornado"]]
    listed = client.get("/api/v1/clearinghouses", headers=em).json()["clearinghouses"]
    assert len(listed[0]["protocols"]) == 2
    emptied = client.put("/api/v1/clearinghouses/houston-vrc", json=_changed(VRC, protocols=[]), headers=em)
    assert emptied.json()["protocols"] == []


def test_protocols_one_by_one_and_who_may_change_them(client, make_token, make_clearinghouse, engine):
    make_clearinghouse("volunteer-louisiana")
    em = bearer(make_token("emergency_manager"))
    client.post("/api/v1/clearinghouses", json=VRC, headers=em)
    base = "/api/v1/clearinghouses/houston-vrc/protocols"
    made = client.post(base, json=HURRICANES, headers=em)
    assert made.status_code == 201, made.text
    one = f"{base}/{made.json()['id']}"
    assert client.get(one, headers=em).json()["ack_hours"] == 12
    changed = client.put(one, json={**HURRICANES, "ack_hours": 48}, headers=em)
    assert changed.status_code == 200 and changed.json()["ack_hours"] == 48
    assert [p["ack_hours"] for p in client.get(base, headers=em).json()["protocols"]] == [48]
    # Another clearinghouse's coordinator, and roles that do not manage clearinghouses, may not.
    other = bearer(make_token("clearinghouse", name="other", clearinghouse="volunteer-louisiana"))
    assert client.post(base, json=HURRICANES, headers=other).status_code == 403
    assert client.put(one, json=HURRICANES, headers=other).status_code == 403
    assert client.delete(one, headers=bearer(make_token("supervisor", name="sup"))).status_code == 403
    mine = bearer(make_token("clearinghouse", name="mine", clearinghouse="houston-vrc"))
    assert client.post(base, json=HURRICANES, headers=mine).status_code == 201
    assert client.delete(one, headers=em).status_code == 200
    assert client.get(one, headers=em).status_code == 404
    assert client.get("/api/v1/clearinghouses/volunteer-louisiana/protocols/1", headers=em).status_code == 404
    assert client.get("/api/v1/clearinghouses/nobody/protocols", headers=em).status_code == 404
    with unit_of_work(engine) as session:
        actions = [e.action for e in session.exec(select(AuditEntry).where(
            AuditEntry.target_type == "clearinghouse_protocol").order_by(AuditEntry.id))]
        diffs = " ".join(e.diff for e in session.exec(select(AuditEntry)))
    assert actions == ["clearinghouse.protocol.create", "clearinghouse.protocol.update",
                       "clearinghouse.protocol.create", "clearinghouse.protocol.delete"]
    assert "555" not in diffs  # no escalation contact in the audit log


def test_bad_protocols_are_refused_naming_the_fault(client, make_token):
    em = bearer(make_token("emergency_manager"))
    client.post("/api/v1/clearinghouses", json=VRC, headers=em)
    base = "/api/v1/clearinghouses/houston-vrc/protocols"
    cases = [({"incident_types": ["Alien Invasion"]}, "incident_types.0", None),
             ({"incident_types": []}, "incident_types", None),
             ({"skills": ["interpreter"]}, "body.skills", "interpreter"),  # in the taxonomy, not accepted here
             ({"skills": ["juggling"]}, "body.skills", "juggling"),  # not in the taxonomy at all
             ({"donation_categories": ["furniture"]}, "body.donation_categories", "furniture"),
             ({"valid_from": "2026-06-01", "valid_to": "2026-05-31"}, "body", None),
             ({"ack_hours": 0}, "ack_hours", None), ({"ack_hours": 721}, "ack_hours", None),
             ({"mou": "x" * 501}, "mou", None), ({"escalation": {"email": "not-mail"}}, "escalation.email", None),
             ({"escalation": {"phone": "1" * 41}}, "escalation.phone", None)]
    for change, field, code in cases:
        answer = client.post(base, json={**HURRICANES, **change}, headers=em)
        assert answer.status_code == 422, (change, answer.text)
        error = answer.json()["error"]
        assert field in error["fields"], (change, error)
        if code:
            assert code in error["message"], error
    inline = client.post("/api/v1/clearinghouses", headers=em, json={
        **VRC, "slug": "inline", "protocols": [HURRICANES, {**HURRICANES, "skills": ["interpreter"]}]})
    assert inline.status_code == 422 and "protocols.1.skills" in inline.json()["error"]["fields"]
    assert "interpreter" in inline.json()["error"]["message"]
    too_many = client.post("/api/v1/clearinghouses", headers=em,
                           json={**VRC, "slug": "many", "protocols": [HURRICANES] * 21})
    assert too_many.status_code == 422
    # Narrowing what a clearinghouse accepts under a kept protocol that names it is refused too.
    client.post(base, json=HURRICANES, headers=em)
    narrowed = client.put("/api/v1/clearinghouses/houston-vrc", headers=em,
                          json=_changed(VRC, accepts={"skills": ["chainsaw"]}))
    assert narrowed.status_code == 422 and "debris_removal" in narrowed.json()["error"]["message"]
    for _ in range(19):
        client.post(base, json=HURRICANES, headers=em)
    assert client.post(base, json=HURRICANES, headers=em).status_code == 409  # at most 20
    assert len(client.get(base, headers=em).json()["protocols"]) == 20
