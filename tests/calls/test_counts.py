"""overflowed_since: the overflow counts behind agreements' max_calls_per_hour."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from surge.calls import intake
from surge.calls.counts import overflowed_since
from surge.kernel.db import run_in_transaction
from tests.conftest import TEST_ACTOR

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def overflow(call_id, minutes_ago, to="austin-211", center="houston-211", kind="overflowed"):
    return {"center": center, "call_id": call_id, "event": kind,
            "at": (NOW - timedelta(minutes=minutes_ago)).isoformat(),
            **({"to_center": to} if kind == "overflowed" else {})}


def test_overflows_are_counted_per_pair_since_a_time(engine, make_center):
    for slug in ("houston-211", "austin-211", "beaumont-211"):
        make_center(slug)
    events = [overflow("a", 10), overflow("b", 59), overflow("c", 61), overflow("d", 5, to="beaumont-211"),
              overflow("e", 1, center="austin-211", to="houston-211"), overflow("f", 1, kind="offered"),
              overflow("g", 60)]  # exactly at `since`: counted
    assert run_in_transaction(engine, intake.receive, events=events, actor=TEST_ACTOR).stored == 7
    counts = run_in_transaction(engine, overflowed_since, since=NOW - timedelta(hours=1))
    assert counts == {("houston-211", "austin-211"): 3, ("houston-211", "beaumont-211"): 1,
                      ("austin-211", "houston-211"): 1}
    assert run_in_transaction(engine, overflowed_since, since=NOW) == {}
