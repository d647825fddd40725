"""The demo's day of calls: realistic in shape, and stored once however often the demo runs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func
from sqlmodel import select

from surge.calls.demo_day import generate_day
from surge.calls.metrics import for_center, for_network
from surge.calls.models import CallEvent
from surge.demo_network import load_network
from surge.kernel.db import run_in_transaction
from tests.conftest import TEST_ACTOR

END = datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc)


def test_a_demo_day_is_realistic_and_idempotent(engine):
    centers = run_in_transaction(engine, load_network, actor=TEST_ACTOR)
    first = run_in_transaction(engine, generate_day, centers=centers, day_end=END)
    assert 5_000 < first < 40_000
    assert run_in_transaction(engine, generate_day, centers=centers, day_end=END) == 0
    later = run_in_transaction(engine, generate_day, centers=centers, day_end=END + timedelta(minutes=20))
    assert 0 < later < first / 10  # only the twenty minutes since

    def count(session):
        return session.exec(select(func.count()).select_from(CallEvent).where(CallEvent.at > END + timedelta(
            minutes=20))).one()

    assert run_in_transaction(engine, count) == 0  # nothing after the day's end
    window = {"start": END - timedelta(days=1), "end": END, "actor": TEST_ACTOR, "short_abandon_s": 5,
              "service_level_s": 60}
    network = run_in_transaction(engine, for_network, **window)
    assert network.short_abandoned > 0 and network.overflow_in == network.overflow_out > 0
    assert 0.6 < network.service_level < 1 and 0 < network.abandon_rate < 0.3
    assert 0.5 < network.in_region_answer_rate < 1
    houston = run_in_transaction(engine, for_center, slug="houston-211", **window)
    lake_charles = run_in_transaction(engine, for_center, slug="lake-charles-211", **window)
    assert 1_000 < houston.offered < 3_000 and 100 < lake_charles.offered < 600
    assert houston.overflow_out > 0 and houston.overflow_in > 0
