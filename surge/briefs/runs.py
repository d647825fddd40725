"""Producing every due brief, each period in a transaction of its own: what the scheduler job and
`surge briefs catch-up` run. Running it again produces nothing new."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from surge.access.principal import system
from surge.briefs import periods, production, schedules
from surge.kernel.db import run_in_transaction

PRODUCER = system("briefs")


@dataclass(frozen=True)
class Produced:
    incident_slug: str
    number: int
    version: str
    period_start: datetime
    period_end: datetime


def produce_due(engine: Engine, *, now: datetime, until: datetime, thresholds: production.Thresholds,
                limit: int = periods.MAX_PERIODS) -> list[Produced]:
    """The briefs of every period due by `until`, oldest first per schedule; periods another producer
    has just claimed are skipped."""
    try:
        run_in_transaction(engine, schedules.ensure_missing, statuses=production.SCHEDULED_FOR, actor=PRODUCER,
                           now=now)
    except IntegrityError:
        pass  # another producer made them at the same moment
    produced: list[Produced] = []
    for item in run_in_transaction(engine, production.due, until=until, limit=limit):
        try:
            brief = run_in_transaction(engine, production.produce_scheduled, schedule_id=item.schedule_id,
                                       period=item.period, now=now, thresholds=thresholds, actor=PRODUCER)
        except IntegrityError:
            continue  # another scheduler claimed this period first: it is theirs
        if brief is not None:
            produced.append(Produced(brief.incident_slug, brief.number, brief.version, brief.period_start,
                                     brief.period_end))
    return produced
