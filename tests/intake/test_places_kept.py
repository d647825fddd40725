"""Each process keeps an incident's places in memory; every change to what matching reads must still reach the
very next registration, however it was made (the API, or SQL run by hand), and capacity counts every referral."""

from __future__ import annotations

from sqlalchemy import update

from clearinghouse.models import Clearinghouse
from surge.intake.place_stamps import PlaceStamp, current
from surge.kernel.db import unit_of_work
from tests.intake.referral_setup import network, register  # noqa: F401  (fixture)


def _referred_to(client, headers, phone: str) -> list[str]:
    return sorted(r["clearinghouse"] for r in register(client, headers, phone=phone, email=None)["referrals"])


def _stamp(engine) -> str | None:
    with unit_of_work(engine) as session:
        return current(session)


def test_the_next_registration_sees_every_change_to_the_places(client, network, engine):  # noqa: F811
    caller = network["caller"]
    assert _referred_to(client, caller, "713-555-0101") == ["alpha-vrc", "bravo-vrc"]  # kept in memory now

    paused = client.put("/api/v1/incidents/harvey/linkages/alpha-vrc", headers=network["em"],
                        json={"state": "paused", "reason": "warehouse flooded"})
    assert paused.status_code == 200, paused.text
    assert _referred_to(client, caller, "713-555-0102") == ["bravo-vrc", "charlie-vrc"]

    listed = client.put("/api/v1/incidents/harvey/needs/bravo-vrc", headers=network["bravo-vrc"],
                        json={"items": [{"code": "muck_out", "status": "not_needed"}]})
    assert listed.status_code == 200, listed.text
    assert _referred_to(client, caller, "713-555-0103") == ["charlie-vrc"]

    # A change made outside the application's code reaches the next registration all the same.
    before = _stamp(engine)
    with engine.begin() as conn:
        conn.execute(update(Clearinghouse.__table__).where(Clearinghouse.__table__.c.slug == "charlie-vrc")
                     .values(capacity={"volunteers_per_day": 3}))
    assert _stamp(engine) not in (None, before)
    assert _referred_to(client, caller, "713-555-0104") == ["charlie-vrc"]
    # Charlie holds three referrals from today now: full, so the next person waits in the reserve.
    reserved = register(client, caller, phone="713-555-0105", email=None)
    assert reserved["status"] == "reserve" and reserved["referrals"] == []


def test_a_declined_referral_frees_its_place_under_the_limit(client, network, engine):  # noqa: F811
    caller = network["caller"]
    with engine.begin() as conn:
        conn.execute(update(Clearinghouse.__table__).values(capacity={"volunteers_per_day": 1}))
    first = register(client, caller, phone="713-555-0111", email=None)
    assert sorted(r["clearinghouse"] for r in first["referrals"]) == ["alpha-vrc", "bravo-vrc"]
    assert _referred_to(client, caller, "713-555-0112") == ["charlie-vrc"]
    # Every place is taken: the next people wait in the reserve (the full ones are remembered, not recounted).
    for phone in ("713-555-0113", "713-555-0114"):
        assert register(client, caller, phone=phone, email=None)["status"] == "reserve"
    alpha = next(r for r in first["referrals"] if r["clearinghouse"] == "alpha-vrc")
    declined = client.post(f"/api/v1/referrals/{alpha['id']}/decline", headers=network["alpha-vrc"],
                           json={"reason": "no transport"})
    assert declined.status_code == 200, declined.text
    # Alpha's one place is free again, at once; bravo's and charlie's are still taken.
    assert _referred_to(client, caller, "713-555-0115") == ["alpha-vrc"]


def test_a_missing_stamp_keeps_nothing_and_the_next_change_brings_it_back(client, network, engine):  # noqa: F811
    with engine.begin() as conn:
        conn.execute(PlaceStamp.__table__.delete())
    assert _stamp(engine) is None
    assert _referred_to(client, network["caller"], "713-555-0121") == ["alpha-vrc", "bravo-vrc"]
    with engine.begin() as conn:
        conn.execute(update(Clearinghouse.__table__).where(Clearinghouse.__table__.c.slug == "alpha-vrc")
                     .values(active=False))
    assert _stamp(engine) is not None
    assert _referred_to(client, network["caller"], "713-555-0122") == ["bravo-vrc", "charlie-vrc"]
