"""Call summaries: merged batch by batch, in any order and with repeats, they equal grouping every event."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from sqlmodel import select

from surge.calls import intake, summaries
from surge.calls.models import CallSummary
from surge.kernel.db import run_in_transaction, unit_of_work
from tests.conftest import TEST_ACTOR

T = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def rows(engine):
    with unit_of_work(engine) as session:
        return [tuple(getattr(s, name) for name in summaries.COLUMNS)
                for s in session.exec(select(CallSummary).order_by(CallSummary.center, CallSummary.call_id)).all()]


def test_merged_summaries_equal_a_rebuild_from_every_event(engine, make_center):
    make_center("houston-211")
    make_center("austin-211")
    rng = random.Random(7)
    events = []
    for call in range(60):
        start = T + timedelta(minutes=call)
        zip_code = {"caller_zip": rng.choice(["77002", "78701"])} if call % 3 else {}
        events.append({"center": "houston-211", "call_id": f"s{call}", "event": "offered",
                       "at": start.isoformat(), **zip_code})
        if call % 4 == 0:
            events.append({"center": "houston-211", "call_id": f"s{call}", "event": "overflowed",
                           "at": (start + timedelta(seconds=30)).isoformat(), "to_center": "austin-211"})
        elif call % 4 == 1:
            events.append({"center": "houston-211", "call_id": f"s{call}", "event": "abandoned",
                           "at": (start + timedelta(seconds=9)).isoformat()})
        else:
            events.append({"center": "houston-211", "call_id": f"s{call}", "event": "answered",
                           "at": (start + timedelta(seconds=20)).isoformat()})
            if call % 4 == 2:
                events.append({"center": "houston-211", "call_id": f"s{call}", "event": "ended",
                               "at": (start + timedelta(seconds=200)).isoformat()})
    shuffled = events + rng.sample(events, 40)  # every event once, some twice
    rng.shuffle(shuffled)
    for start in range(0, len(shuffled), 17):
        run_in_transaction(engine, intake.receive, events=shuffled[start:start + 17], actor=TEST_ACTOR)
    merged = rows(engine)
    assert len(merged) == 60
    run_in_transaction(engine, summaries.rebuild)
    assert rows(engine) == merged
    s0 = next(row for row in merged if row[1] == "s0")
    assert s0[2] == T and s0[6] == "austin-211" and s0[3] is None


def test_pivot_keeps_the_first_offer_answer_and_abandon_and_the_last_end():
    at = [T + timedelta(seconds=s) for s in range(5)]
    rows = [{"center": "c", "call_id": "1", "event": "ended", "at": at[3]},
            {"center": "c", "call_id": "1", "event": "offered", "at": at[1], "caller_county": "48201"},
            {"center": "c", "call_id": "1", "event": "ended", "at": at[4]},
            {"center": "c", "call_id": "1", "event": "offered", "at": at[0]},
            {"center": "c", "call_id": "1", "event": "answered", "at": at[2]},
            {"center": "b", "call_id": "1", "event": "abandoned", "at": at[2]}]
    assert summaries.pivot(rows) == [
        {"center": "b", "call_id": "1", "offered_at": None, "answered_at": None, "abandoned_at": at[2],
         "ended_at": None, "to_center": None, "caller_county": None},
        {"center": "c", "call_id": "1", "offered_at": at[0], "answered_at": at[2], "abandoned_at": None,
         "ended_at": at[4], "to_center": None, "caller_county": "48201"}]
