"""Producing briefs: scheduled ones exactly once per period, on-demand ones whenever asked.

A brief is produced in one transaction that first locks its incident's row (an UPDATE that changes nothing:
a row lock on PostgreSQL, the write lock on SQLite), so producers of one incident take turns: numbers never
repeat, and a scheduled period already produced is seen and skipped. The unique key (schedule, period start)
backs this up: an insert that loses the race raises IntegrityError and the producer skips the period. A crash
mid-production rolls back the claim with everything else, so the next run produces that period again.

Sending it to subscribers (rendering its PDF) is not part of producing it: that comes after, in a transaction of
its own (`runs.distribute_new`), so that no producer holds the incident's lock while a PDF renders.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.briefs import figures, narrative, periods
from surge.briefs.access import READ_BRIEFS, find_incident, require_read
from surge.briefs.models import Brief, BriefSchedule, Kind, Version
from surge.briefs.schedules import rule_of
from surge.briefs.schemas import BriefCreatedOut
from surge.incidents.models import Incident, Status
from surge.kernel import audit
from surge.kernel.errors import Conflict
from surge.kernel.i18n import N_

SCHEDULED_FOR = (Status.ACTIVE.value, Status.DEMOBILIZING.value)  # closed incidents get no new scheduled briefs
ON_DEMAND_FALLBACK = timedelta(hours=12)  # the window of an on-demand brief when the incident has no schedule


@dataclass(frozen=True)
class Due:
    schedule_id: int
    incident_slug: str
    period: periods.Period


@dataclass(frozen=True)
class Thresholds:
    short_abandon_s: int
    service_level_s: int
    public_url: str = "http://localhost:8000"  # where the e-mailed briefs link to (SURGE_PUBLIC_URL)


def lock_incident(session: Session, slug: str) -> None:
    session.execute(update(Incident).where(Incident.slug == slug).values(updated_at=Incident.updated_at))


def _last_scheduled_ends(session: Session, schedule_ids: list[int]) -> dict[int, datetime]:
    if not schedule_ids:
        return {}
    return dict(session.exec(select(Brief.schedule_id, func.max(Brief.period_end))
                             .where(Brief.schedule_id.in_(schedule_ids)).group_by(Brief.schedule_id)).all())


def due(session: Session, *, until: datetime, limit: int = periods.MAX_PERIODS) -> list[Due]:
    """The periods of enabled schedules of active and demobilizing incidents that ended by `until` and have
    no brief yet: each schedule's missed periods (at most `limit`), or only its latest when it does not catch up."""
    rows = session.exec(select(BriefSchedule, Incident).join(Incident, Incident.slug == BriefSchedule.incident_slug)
                        .where(BriefSchedule.enabled, Incident.status.in_(SCHEDULED_FOR))
                        .order_by(BriefSchedule.id)).all()
    last_ends = _last_scheduled_ends(session, [schedule.id for schedule, _ in rows])
    found: list[Due] = []
    for schedule, incident in rows:
        after = max(filter(None, (last_ends.get(schedule.id), incident.activated_at)), default=None)
        if after is None:
            continue
        rule = rule_of(schedule)
        if schedule.catch_up:
            windows = periods.periods(rule, after=after, until=until, limit=limit)
        else:
            last = periods.latest(rule, after=after, until=until)
            windows = [last] if last else []
        found.extend(Due(schedule.id, incident.slug, window) for window in windows)
    return found


def _version(incident: Incident, number: int, now: datetime) -> Version:
    if incident.stood_down_at is not None and now >= incident.stood_down_at:
        return Version.FINAL
    return Version.INITIAL if number == 1 else Version.UPDATE


def _produce(session: Session, *, incident: Incident, schedule_id: int | None, period: periods.Period, kind: Kind,
             prepared_by: str, now: datetime, thresholds: Thresholds) -> Brief:
    """Number, compute and store a brief; the incident must be locked already."""
    last = session.exec(select(Brief).where(Brief.incident_slug == incident.slug)
                        .order_by(Brief.number.desc()).limit(1)).first()
    number = 1 if last is None else last.number + 1
    previous = json.loads(last.figures) if last is not None else None
    computed = figures.compute(session, incident=incident, start=period.start, end=period.end, now=now,
                               previous=previous, short_abandon_s=thresholds.short_abandon_s,
                               service_level_s=thresholds.service_level_s)
    brief = Brief(incident_slug=incident.slug, schedule_id=schedule_id, number=number, period_start=period.start,
                  period_end=period.end, kind=kind.value, version=_version(incident, number, now).value,
                  figures=json.dumps(computed, sort_keys=True), narrative=narrative.snapshot(session, incident.slug),
                  prepared_by=prepared_by, created_at=now)
    session.add(brief)
    session.flush()  # the claim: a period someone else stored already raises IntegrityError here
    audit.record(session, actor=prepared_by, action="brief.produce", target_type="brief",
                 target_id=f"{incident.slug}/{number}",
                 diff={"number": number, "kind": kind.value, "version": brief.version,
                       "period_start": period.start.isoformat(), "period_end": period.end.isoformat()})
    return brief


def produce_scheduled(session: Session, *, schedule_id: int, period: periods.Period, now: datetime,
                      thresholds: Thresholds, actor: Principal) -> Brief | None:
    """The brief of one scheduled period, or None when it exists already or the incident no longer gets one."""
    schedule = session.get(BriefSchedule, schedule_id)
    if schedule is None:
        return None
    lock_incident(session, schedule.incident_slug)
    incident = session.get(Incident, schedule.incident_slug)
    session.refresh(incident)  # as it is now that we hold the lock
    if incident.status not in SCHEDULED_FOR:
        return None
    taken = session.exec(select(Brief.id).where(Brief.schedule_id == schedule_id,
                                                Brief.period_start == period.start)).first()
    if taken is not None:
        return None
    return _produce(session, incident=incident, schedule_id=schedule_id, period=period, kind=Kind.SCHEDULED,
                    prepared_by=actor.actor, now=now, thresholds=thresholds)


def on_demand_period(session: Session, incident: Incident, now: datetime) -> periods.Period:
    """From the start of the operational period running now (or 12 hours back without a schedule) to now."""
    schedule = session.exec(select(BriefSchedule).where(BriefSchedule.incident_slug == incident.slug)).first()
    running = periods.current(rule_of(schedule), now=now) if schedule is not None else None
    start = running.start if running is not None and running.start < now else now - ON_DEMAND_FALLBACK
    return periods.Period(start, now)


def produce_on_demand(session: Session, *, slug: str, actor: Principal, now: datetime,
                      thresholds: Thresholds) -> BriefCreatedOut:
    permissions.require(actor, READ_BRIEFS)  # before taking any lock
    lock_incident(session, slug)
    incident = find_incident(session, slug)
    session.refresh(incident)
    require_read(actor, incident)
    if incident.status == Status.DRAFT.value:
        raise Conflict(N_("The incident %(slug)s is a draft: activate it before asking for a brief."),
                       params={"slug": slug})
    brief = _produce(session, incident=incident, schedule_id=None, period=on_demand_period(session, incident, now),
                     kind=Kind.ON_DEMAND, prepared_by=actor.actor, now=now, thresholds=thresholds)
    return BriefCreatedOut(incident=slug, number=brief.number, version=brief.version, period_start=brief.period_start,
                           period_end=brief.period_end)
