"""Producing every due brief, each period in a transaction of its own, and sending each in another: what the
scheduler job and `surge briefs catch-up` run. Running it again produces and sends nothing new."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from surge.access.principal import system
from surge.briefs import distribution, periods, production, schedules
from surge.kernel.db import run_in_transaction

PRODUCER = system("briefs")
# A brief produced this long ago and still not sent was left by a crash: the next run sends it. Younger ones are
# being sent by whoever produced them. One that still fails a day on is given up (its failures are logged):
# news that old is no longer news, and a brief that cannot be rendered is not rendered every run for ever.
SEND_LEFT_AFTER = timedelta(minutes=5)
SEND_LEFT_UNTIL = timedelta(days=1)
log = structlog.get_logger("surge.briefs")


@dataclass(frozen=True)
class Produced:
    incident_slug: str
    number: int
    version: str
    period_start: datetime
    period_end: datetime


def distribute_new(engine: Engine, *, slug: str, number: int, now: datetime, public_url: str) -> int:
    """Send a brief just produced, in a transaction of its own. Should it fail, the brief stands and the
    scheduler's next run sends it: the one who asked for it is not told of an error that is not theirs."""
    try:
        return run_in_transaction(engine, distribution.distribute_brief, slug=slug, number=number, now=now,
                                  public_url=public_url)
    except Exception:
        log.exception("brief_not_sent", incident=slug, number=number)
        return 0


def produce_due(engine: Engine, *, now: datetime, until: datetime, thresholds: production.Thresholds,
                limit: int = periods.MAX_PERIODS) -> list[Produced]:
    """The briefs of every period due by `until`, oldest first per schedule, each sent once produced; periods
    another producer has just claimed are skipped. Briefs a crash left unsent are sent first."""
    for slug, number in run_in_transaction(engine, distribution.not_sent, produced_after=now - SEND_LEFT_UNTIL,
                                           produced_before=now - SEND_LEFT_AFTER, limit=limit):
        distribute_new(engine, slug=slug, number=number, now=now, public_url=thresholds.public_url)
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
            distribute_new(engine, slug=brief.incident_slug, number=brief.number, now=now,
                           public_url=thresholds.public_url)
            produced.append(Produced(brief.incident_slug, brief.number, brief.version, brief.period_start,
                                     brief.period_end))
    return produced
