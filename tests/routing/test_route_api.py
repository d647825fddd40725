"""GET /api/v1/route over HTTP: phone systems ask, status changes the answer at once, every decision is logged."""

from __future__ import annotations

from sqlmodel import select

from surge.kernel.db import unit_of_work
from surge.routing.decision_log import RouteDecision

MONDAY_NOON = "2026-11-30T12:00:00-06:00"


def bearer(token):
    return {"authorization": f"Bearer {token}"}


def network(client, make_token, make_center):
    make_center("houston-211", languages=["en", "es"])
    make_center("austin-211", counties=["48453"], languages=["en", "es"])
    admin = bearer(make_token("admin"))
    made = client.post("/api/v1/agreements", headers=admin, json={
        "from": "houston-211", "to": "austin-211", "priority": 1, "triggers": {"calls_waiting": 20}})
    assert made.status_code == 201, made.text
    return made.json()["id"], bearer(make_token("phone_system", name="Houston IVR", center="houston-211"))


def test_a_phone_system_routes_and_its_status_moves_calls_at_once(client, make_token, make_center, app, engine):
    agreement, phone = network(client, make_token, make_center)
    quiet = client.get(f"/api/v1/route?zip=77002&at={MONDAY_NOON.replace('+', '%2B')}", headers=phone)
    assert quiet.status_code == 200, quiet.text
    body = quiet.json()
    assert body["location"] == {"county_fips": "48201", "county": "Harris", "state": "TX", "zip": "77002"}
    assert [(t["center"], t["reason"]) for t in body["targets"]] == [("houston-211", "home")]
    assert body["status"] == {"stale": [], "stale_policy": "unknown"}

    busy = {"calls_waiting": 31, "longest_wait_s": 240, "agents_available": 0, "agents_staffed": 14}
    assert client.post("/api/v1/centers/houston-211/status", json=busy, headers=phone).status_code == 200
    swamped = client.get("/api/v1/route?zip=77002", headers=phone).json()
    assert [(t["center"], t["reason"]) for t in swamped["targets"]] == [
        ("austin-211", "overflow"), ("houston-211", "home_after_overflow")]
    assert swamped["targets"][0] == {"center": "austin-211", "name": "Austin 2-1-1", "reason": "overflow",
                                     "agreement": agreement, "triggers": ["calls_waiting"]}

    app.state.decision_log.flush()
    with unit_of_work(engine) as session:
        logged = {row.id: row for row in session.exec(select(RouteDecision)).all()}
    assert set(logged) == {body["decision_id"], swamped["decision_id"]}
    row = logged[swamped["decision_id"]]
    assert row.county_fips == "48201" and row.zip == "77002" and row.actor.startswith("token:")
    assert [t["center"] for t in row.targets] == ["austin-211", "houston-211"]


def test_routing_by_county_point_language_and_tty(client, make_token, make_center):
    _, phone = network(client, make_token, make_center)
    by_county = client.get("/api/v1/route?county=48453&language=es", headers=phone).json()
    assert by_county["home"] == "austin-211" and by_county["targets"][0]["center"] == "austin-211"
    by_point = client.get("/api/v1/route?lat=29.76&lon=-95.37", headers=phone).json()
    assert by_point["location"]["county_fips"] == "48201"
    tty = client.get("/api/v1/route?county=48201&tty=1", headers=phone).json()
    assert tty["targets"] == [] and [(s["center"], s["why"]) for s in tty["skipped"]] == [
        ("houston-211", "tty"), ("austin-211", "tty")]


def test_uncovered_places_and_bad_questions_get_clear_answers(client, make_token, make_center):
    _, phone = network(client, make_token, make_center)
    nowhere = client.get("/api/v1/route?zip=10001", headers=phone)
    assert nowhere.status_code == 404
    assert "No center covers New York, NY" in nowhere.json()["error"]["message"]
    for query, field in [("zip=00000", "zip"), ("zip=7700", "zip"), ("county=48201&at=2026-11-30T12:00:00", "at"),
                         ("county=48201&at=yesterday", "at"), ("county=48201&language=<b>", "language"),
                         ("county=48201&tty=maybe", "tty"), ("zip=77002&county=48201", "county"), ("", "zip")]:
        answer = client.get(f"/api/v1/route?{query}", headers=phone)
        assert answer.status_code in (404, 422), (query, answer.text)
        assert field in answer.json()["error"].get("fields", {}), (query, answer.json())


def test_route_needs_a_signed_in_caller(client):
    assert client.get("/api/v1/route?zip=77002").status_code == 401


def test_the_answer_has_the_documented_shape(client, make_token, make_center):
    from surge.routing.models import RouteOut

    _, phone = network(client, make_token, make_center)
    for query in ("zip=77002", "county=48453&language=es", "county=48201&tty=1"):
        answer = client.get(f"/api/v1/route?{query}", headers=phone)
        assert RouteOut.model_validate(answer.json()).model_dump(mode="json", by_alias=True)["targets"] == \
            answer.json()["targets"]
