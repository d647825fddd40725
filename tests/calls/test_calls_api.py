"""Posting call events: good ones kept, bad ones named one by one, replays storing nothing, and who may post."""

from __future__ import annotations

from sqlmodel import select

from surge.calls.models import CallEvent
from surge.kernel.db import unit_of_work


def bearer(token):
    return {"authorization": f"Bearer {token}"}


def good(call_id="c1", kind="offered", center="houston-211", **extra):
    return {"center": center, "call_id": call_id, "event": kind, "at": "2026-11-27T08:00:00-06:00", **extra}


def stored(engine):
    with unit_of_work(engine) as session:
        return session.exec(select(CallEvent).order_by(CallEvent.id)).all()


def test_a_batch_keeps_the_good_events_and_names_each_bad_one(client, make_token, make_center, engine):
    make_center("austin-211")
    token = bearer(make_token("phone_system", center="houston-211"))
    batch = [
        good("c1", caller_zip="77002", language="ES"),
        good("c1", "overflowed", to_center="austin-211"),
        good("c2", "answered", at="2026-11-27T08:00:00"),  # no UTC offset
        good("c3", "rang"),  # not an event
        good("c4", "overflowed"),  # overflowed without to_center
        good("c5", "overflowed", to_center="nowhere-211"),
        good("c6", center="nowhere-211"),
        good("c7", "answered", to_center="austin-211"),  # only overflowed events name a to_center
        good("c 8"),  # a space in the call id
        good("c9", caller_zip="7700"),
        good("c10", caller_zip="99999"),  # well formed but unknown: kept, county unknown
        "not an object",
        good("c11", at="2126-01-01T00:00:00Z"),  # a century ahead
        good("c12", extra_field=1),
        good("c13", "overflowed", to_center="houston-211"),
        good("c14", at="0001-01-01T00:00:00+05:00"),
    ]
    answer = client.post("/api/v1/calls", json=batch, headers=token)
    assert answer.status_code == 422  # a string where an object belongs: the body itself is malformed
    batch.remove("not an object")
    answer = client.post("/api/v1/calls", json=batch, headers=token)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["received"], body["stored"], body["duplicates"]) == (len(batch), 3, 0)
    rejected = {item["index"]: set(item["fields"]) for item in body["rejected"]}
    assert rejected == {2: {"at"}, 3: {"event"}, 4: {"to_center"}, 5: {"to_center"}, 6: {"center"},
                        7: {"to_center"}, 8: {"call_id"}, 9: {"caller_zip"}, 11: {"at"}, 12: {"extra_field"},
                        13: {"to_center"}, 14: {"at"}}
    assert all(all(text.strip() for text in item["fields"].values()) for item in body["rejected"])
    rows = stored(engine)
    assert [(r.call_id, r.event, r.caller_county, r.language) for r in rows] == [
        ("c1", "offered", "48201", "es"), ("c1", "overflowed", None, None), ("c10", "offered", None, None)]
    assert rows[0].at.isoformat() == "2026-11-27T14:00:00+00:00"


def test_a_replay_stores_nothing(client, make_token, engine):
    token = bearer(make_token("supervisor", center="houston-211"))
    batch = [good("r1"), good("r1", "answered"), good("r1", "answered")]  # a repeat inside the batch too
    first = client.post("/api/v1/calls", json=batch, headers=token).json()
    assert (first["stored"], first["duplicates"]) == (2, 1)
    again = client.post("/api/v1/calls", json=batch, headers=token).json()
    assert (again["received"], again["stored"], again["duplicates"], again["rejected"]) == (3, 0, 3, [])
    assert len(stored(engine)) == 2


def test_phone_systems_report_only_for_their_own_center(client, make_token, make_center, engine):
    make_center("houston-211")
    make_center("austin-211")
    austin_phones = bearer(make_token("phone_system", name="austin phones", center="austin-211"))
    answer = client.post("/api/v1/calls", json=[good("x1"), good("x2", center="austin-211")], headers=austin_phones)
    assert answer.status_code == 200
    body = answer.json()
    assert body["stored"] == 1 and [r["index"] for r in body["rejected"]] == [0]
    assert "own center" in body["rejected"][0]["fields"]["center"]
    admin = bearer(make_token("admin", name="admin"))
    assert client.post("/api/v1/calls", json=[good("x3")], headers=admin).json()["stored"] == 1
    for role in ("call_taker", "partner", "emergency_manager"):
        token = bearer(make_token(role, name=f"not a reporter {role}",
                                  center="houston-211" if role == "call_taker" else None))
        assert client.post("/api/v1/calls", json=[good("x4")], headers=token).status_code == 403, role
    assert client.post("/api/v1/calls", json=[good("x5")]).status_code == 401
    assert len(stored(engine)) == 2


def test_batches_are_bounded_and_rejections_are_translated(client, make_token):
    token = bearer(make_token("admin"))
    too_many = client.post("/api/v1/calls", json=[good(f"b{i}") for i in range(5001)], headers=token)
    assert too_many.status_code in (413, 422)
    assert client.post("/api/v1/calls", json={"center": "houston-211"}, headers=token).status_code == 422
    assert client.post("/api/v1/calls", json=[], headers=token).json()["received"] == 0
    spanish = client.post("/api/v1/calls", json=[good("s1", center="nowhere-211")],
                          headers={**token, "accept-language": "es"})
    assert spanish.status_code == 200 and spanish.json()["rejected"][0]["fields"]["center"]
