"""Scheduled briefs exactly once: two producers at once, a crash mid-production, catch-up and its setting,
closed incidents, and numbers that never repeat."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from surge.access.principal import system
from surge.briefs import production, runs
from surge.briefs.models import Brief
from surge.briefs.periods import Period
from surge.kernel.db import make_engine, run_in_transaction, unit_of_work
from tests.briefs.setup import THRESHOLDS, bearer, make_incident

ACTIVATED = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)  # 06:00 in Chicago; periods start at 07:00 (13:00 UTC)
UNTIL = datetime(2026, 11, 21, 14, tzinfo=timezone.utc)
EXPECTED_ENDS = [datetime(2026, 11, 20, 13, tzinfo=timezone.utc), datetime(2026, 11, 21, 1, tzinfo=timezone.utc),
                 datetime(2026, 11, 21, 13, tzinfo=timezone.utc)]


@pytest.fixture
def incident(app, client, make_token):
    em = bearer(make_token("emergency_manager"))
    app.state.clock = lambda: ACTIVATED
    make_incident(client, em)
    return em


def briefs(engine) -> list[Brief]:
    with unit_of_work(engine) as session:
        return session.exec(select(Brief).order_by(Brief.number)).all()


def produce(engine, until=UNTIL):
    return runs.produce_due(engine, now=until, until=until, thresholds=THRESHOLDS)


def at_once(work, count=2):
    """Run `work(i)` on `count` threads released together; their answers, re-raising the first failure."""
    barrier, answers, failures = threading.Barrier(count), [None] * count, []

    def run(i):
        barrier.wait()
        try:
            answers[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 (reported below, in the test's thread)
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return answers


def test_due_periods_are_produced_once_in_order(engine, incident):
    produced = produce(engine)
    assert [item.period_end for item in produced] == EXPECTED_ENDS
    assert [(b.number, b.kind, b.version) for b in briefs(engine)] == [
        (1, "scheduled", "initial"), (2, "scheduled", "update"), (3, "scheduled", "update")]
    assert produce(engine) == []  # a second run produces nothing new


def test_two_schedulers_on_two_engines_produce_each_period_once(engine, database_url, incident):
    engines = [make_engine(database_url) for _ in range(2)]
    try:
        answers = at_once(lambda i: produce(engines[i]))
    finally:
        for other in engines:
            other.dispose()
    assert sorted(item.period_end for answer in answers for item in answer) == EXPECTED_ENDS
    stored = briefs(engine)
    assert [b.number for b in stored] == [1, 2, 3]
    assert sorted(b.period_end for b in stored) == EXPECTED_ENDS


def test_two_producers_of_one_period_make_one_brief(engine, database_url, incident):
    due = run_in_transaction(engine, production.due, until=UNTIL)[0]
    engines = [make_engine(database_url) for _ in range(2)]

    def claim(i):
        try:
            brief = run_in_transaction(engines[i], production.produce_scheduled, schedule_id=due.schedule_id,
                                       period=due.period, now=UNTIL, thresholds=THRESHOLDS, actor=system("t"))
        except IntegrityError:
            return "lost the race"
        return brief.number if brief else None

    try:
        answers = at_once(claim)
    finally:
        for other in engines:
            other.dispose()
    assert sorted(answers, key=str) == [1, None] or sorted(answers, key=str) == [1, "lost the race"]
    assert len(briefs(engine)) == 1


def test_the_period_key_refuses_a_second_brief(engine, incident):
    due = run_in_transaction(engine, production.due, until=UNTIL)[0]
    produce(engine)
    with pytest.raises(IntegrityError):
        with unit_of_work(engine) as session:
            session.add(Brief(incident_slug="gulf-flood", schedule_id=due.schedule_id, number=99,
                              period_start=due.period.start, period_end=due.period.end, kind="scheduled",
                              version="update", prepared_by="system:test"))
            session.flush()


def test_a_crash_mid_production_leaves_no_brief_and_catch_up_makes_it(engine, incident):
    due = run_in_transaction(engine, production.due, until=UNTIL)[0]
    with pytest.raises(RuntimeError):
        with unit_of_work(engine) as session:
            made = production.produce_scheduled(session, schedule_id=due.schedule_id, period=due.period, now=UNTIL,
                                                thresholds=THRESHOLDS, actor=system("t"))
            assert made is not None and made.number == 1
            raise RuntimeError("the renderer fell over")
    assert briefs(engine) == []
    assert [item.period_end for item in produce(engine)] == EXPECTED_ENDS


def test_without_catch_up_only_the_latest_missed_period_is_produced(client, engine, incident):
    changed = client.put("/api/v1/incidents/gulf-flood/brief-schedule", headers=incident, json={
        "operational_period_hours": 12, "period_start": "2026-11-20T07:00", "timezone": "America/Chicago",
        "catch_up": False})
    assert changed.status_code == 200, changed.text
    assert [item.period_end for item in produce(engine)] == EXPECTED_ENDS[-1:]
    assert produce(engine) == []


def test_a_disabled_schedule_or_closed_incident_gets_no_scheduled_brief(client, engine, incident):
    down = client.post("/api/v1/incidents/gulf-flood/stand-down", json={"reason": "receding"}, headers=incident)
    assert down.json()["status"] == "demobilizing"
    produced = produce(engine)
    assert [item.version for item in produced] == ["final", "final", "final"]  # produced after stand-down
    client.post("/api/v1/incidents/gulf-flood/stand-down", json={"reason": "done"}, headers=incident)
    later = datetime(2026, 11, 23, tzinfo=timezone.utc)
    assert produce(engine, until=later) == []


def test_on_demand_numbers_never_repeat_under_concurrency(engine, database_url, incident):
    engines = [make_engine(database_url) for _ in range(3)]
    try:
        answers = at_once(lambda i: run_in_transaction(
            engines[i], production.produce_on_demand, slug="gulf-flood", actor=system("t"), now=UNTIL,
            thresholds=THRESHOLDS).number, count=3)
    finally:
        for other in engines:
            other.dispose()
    assert sorted(answers) == [1, 2, 3]


def test_key_figures_change_since_the_previous_brief(client, engine, incident, make_token):
    phone = bearer(make_token("phone_system", name="phone"))
    events = [{"center": "houston-211", "call_id": f"c{i}", "event": "offered", "at": "2026-11-20T20:00:00Z"}
              for i in range(4)]
    assert client.post("/api/v1/calls", json=events, headers=phone).json()["stored"] == 4
    produce(engine)
    second = briefs(engine)[1]
    keyed = json.loads(second.figures)["key_figures"]["calls_offered"]
    assert keyed == {"value": 4, "previous": 0, "change": 4}


def test_catch_up_from_the_command_line_is_idempotent(surge, engine, incident):
    first = surge("briefs", "catch-up", "--until", UNTIL.isoformat())
    assert first.returncode == 0, first.stderr
    assert "produced 3 briefs" in first.stdout and "gulf-flood brief 1 (initial)" in first.stdout
    again = surge("briefs", "catch-up", "--until", UNTIL.isoformat())
    assert again.returncode == 0 and "produced 0 briefs" in again.stdout
    far = surge("briefs", "catch-up", "--until", "2999-01-01")
    assert far.returncode == 0 and "by now at the latest" in far.stderr
    assert surge("briefs", "catch-up", "--until", "soon").returncode == 2


def test_the_scheduler_job_produces_what_is_due_and_logs_it(engine, incident):
    from surge.jobs import tasks

    assert tasks.produce_briefs(engine, clock=lambda: UNTIL, thresholds=THRESHOLDS, limit=1000) == 3
    assert tasks.produce_briefs(engine, clock=lambda: UNTIL, thresholds=THRESHOLDS, limit=1000) == 0
    assert len(briefs(engine)) == 3


def test_one_run_is_bounded_by_its_limit(engine, incident):
    assert len(runs.produce_due(engine, now=UNTIL, until=UNTIL, thresholds=THRESHOLDS, limit=2)) == 2
    assert len(produce(engine)) == 1  # the rest wait for the next run


def test_an_incident_activated_without_a_schedule_gets_one_from_the_producer(client, engine, make_token):
    from surge.briefs.models import BriefSchedule
    from surge.incidents import lifecycle

    em = bearer(make_token("emergency_manager"))
    make_incident(client, em, activate=False)
    run_in_transaction(engine, lifecycle.activate, slug="gulf-flood", reason="by the lifecycle alone",
                       actor=system("t"), now=ACTIVATED)
    assert briefs(engine) == []
    assert [item.period_end for item in produce(engine)] == EXPECTED_ENDS
    with unit_of_work(engine) as session:
        assert len(session.exec(select(BriefSchedule)).all()) == 1
