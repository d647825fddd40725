"""Centers, agreements and status over HTTP: who may do what, and bad input refused with a reason."""

from __future__ import annotations

import json

from sqlmodel import select

from surge.accounts.models import ApiToken, User
from surge.kernel.audit import AuditEntry
from surge.kernel.db import unit_of_work

HOUSTON = {"slug": "houston-211", "name": "Greater Houston 2-1-1", "timezone": "America/Chicago",
           "counties": ["48201", "48157"], "languages": ["en", "es"], "tty": True,
           "hours": {"mon": [["08:00", "20:00"]]}, "closures": ["2026-12-25"], "seats": 40, "accredited": True}
AUSTIN = {"slug": "austin-211", "name": "Central Texas 2-1-1", "timezone": "America/Chicago",
          "counties": ["48453", "48201"], "languages": ["en"]}


def bearer(token):
    return {"authorization": f"Bearer {token}"}


def test_admin_creates_lists_and_deactivates_a_center(client, make_token):
    admin = bearer(make_token("admin"))
    made = client.post("/api/v1/centers", json=HOUSTON, headers=admin)
    assert made.status_code == 201, made.text
    assert made.json()["counties"] == ["48201", "48157"] and made.json()["overlaps"] == []
    other = client.post("/api/v1/centers", json=AUSTIN, headers=admin)
    assert other.json()["overlaps"] == [{"county_fips": "48201", "also_covered_by": ["houston-211"]}]
    listed = client.get("/api/v1/centers", headers=admin).json()["centers"]
    assert [c["slug"] for c in listed] == ["austin-211", "houston-211"]
    assert client.delete("/api/v1/centers/austin-211", headers=admin).json()["active"] is False
    assert [c["slug"] for c in client.get("/api/v1/centers", headers=admin).json()["centers"]] == ["houston-211"]
    assert client.post("/api/v1/centers", json=HOUSTON, headers=admin).status_code == 409


def test_bad_coverage_and_hours_are_refused_with_the_field_named(client, make_token):
    admin = bearer(make_token("admin"))
    cases = [
        ({"counties": ["99999"]}, "counties"),
        ({"zips": ["00000"]}, "zips"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"hours": {"mon": [["20:00", "08:00"]]}}, "hours"),
        ({"hours": {"funday": [["08:00", "20:00"]]}}, "hours"),
        ({"languages": ["<script>"]}, "languages"),
        ({"counties": [], "zips": []}, "body"),
        ({"area": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}}, None),
    ]
    for change, field in cases:
        answer = client.post("/api/v1/centers", json={**HOUSTON, **change}, headers=admin)
        assert answer.status_code == 422 or (field is None and answer.status_code in (201, 422)), (change, answer.text)
        if field:
            assert field in answer.json()["error"]["fields"], (change, answer.json())
        if answer.status_code == 201:
            client.delete(f"/api/v1/centers/{HOUSTON['slug']}", headers=admin)


def test_a_drawn_area_resolves_to_the_counties_it_covers(client, make_token):
    admin = bearer(make_token("admin"))
    # A box around central Harris County, TX.
    box = {"type": "Polygon", "coordinates": [[[-95.6, 29.6], [-95.1, 29.6], [-95.1, 30.0], [-95.6, 30.0],
                                                [-95.6, 29.6]]]}
    made = client.post("/api/v1/centers", json={**HOUSTON, "counties": [], "area": box}, headers=admin)
    assert made.status_code == 201, made.text
    assert "48201" in made.json()["area_counties"]


def test_supervisors_edit_only_their_own_center(client, make_token, make_center):
    make_center("houston-211")
    make_center("austin-211")
    supervisor = bearer(make_token("supervisor", center="houston-211"))
    mine = client.put("/api/v1/centers/houston-211", json={k: v for k, v in HOUSTON.items() if k != "slug"},
                      headers=supervisor)
    assert mine.status_code == 200, mine.text
    theirs = client.put("/api/v1/centers/austin-211", json={k: v for k, v in AUSTIN.items() if k != "slug"},
                        headers=supervisor)
    assert theirs.status_code == 403
    assert client.post("/api/v1/centers", json={**AUSTIN, "slug": "new-one"}, headers=supervisor).status_code == 403


def test_a_tie_to_an_unknown_center_is_refused(client, make_token, engine):
    admin = bearer(make_token("admin"))
    answer = client.post("/api/v1/centers", json=HOUSTON, headers=admin)
    assert answer.status_code == 201
    from surge.access.principal import system
    from surge.accounts.models import ApiTokenIn
    from surge.accounts.tokens import create_token
    from surge.kernel.db import run_in_transaction
    from surge.kernel.errors import ValidationFailed
    from surge.kernel.validation import validate

    data = validate(ApiTokenIn, {"name": "ivr", "role": "phone_system", "center_slug": "nowhere-211"})
    try:
        run_in_transaction(engine, create_token, data=data, actor=system("test"))
    except ValidationFailed as exc:
        assert exc.fields == {"center_slug": "Unknown center."}
    else:
        raise AssertionError("a token tied to an unknown center was made")
    with unit_of_work(engine) as session:
        assert session.exec(select(ApiToken).where(ApiToken.name == "ivr")).first() is None
        assert session.exec(select(User)).all() == []


def test_phone_system_posts_only_its_own_status_and_nothing_else(client, make_token, make_center):
    make_center("austin-211")
    phone = bearer(make_token("phone_system", name="Houston IVR", center="houston-211"))
    load = {"calls_waiting": 25, "longest_wait_s": 300, "agents_available": 0, "agents_staffed": 12}
    posted = client.post("/api/v1/centers/houston-211/status", json=load, headers=phone)
    assert posted.status_code == 200, posted.text
    assert posted.json()["calls_waiting"] == 25
    assert client.post("/api/v1/centers/austin-211/status", json=load, headers=phone).status_code == 403
    assert client.get("/api/v1/centers", headers=phone).status_code == 403
    assert client.get("/api/v1/agreements", headers=phone).status_code == 403
    bad = client.post("/api/v1/centers/houston-211/status", json={**load, "agents_available": 20}, headers=phone)
    assert bad.status_code == 422


def test_agreements_are_checked_and_audited(client, make_token, make_center, engine):
    make_center("houston-211")
    make_center("austin-211")
    admin = bearer(make_token("admin"))
    body = {"from": "houston-211", "to": "austin-211", "priority": 1, "triggers": {"calls_waiting": 20}}
    made = client.post("/api/v1/agreements", json=body, headers=admin)
    assert made.status_code == 201, made.text
    agreement = made.json()
    assert agreement["from"] == "houston-211" and agreement["triggers"] == {"calls_waiting": 20}
    changed = client.put(f"/api/v1/agreements/{agreement['id']}", json={**body, "priority": 2}, headers=admin)
    assert changed.json()["priority"] == 2
    assert client.delete(f"/api/v1/agreements/{agreement['id']}", headers=admin).status_code == 200
    assert client.get(f"/api/v1/agreements/{agreement['id']}", headers=admin).status_code == 404
    with unit_of_work(engine) as session:
        actions = [e.action for e in session.exec(select(AuditEntry).where(AuditEntry.target_type == "agreement")
                                                  .order_by(AuditEntry.id)).all()]
        assert actions == ["agreement.create", "agreement.update", "agreement.delete"]
    for bad, field in [({"to": "houston-211"}, "body"), ({"to": "nowhere"}, "to"), ({"triggers": {}}, "body"),
                       ({"triggers": {"sometimes": True}}, "triggers"), ({"counties": ["48453"]}, "counties")]:
        answer = client.post("/api/v1/agreements", json={**body, **bad}, headers=admin)
        assert answer.status_code == 422, (bad, answer.text)
        assert field in json.dumps(answer.json()["error"]["fields"]), (bad, answer.json())
