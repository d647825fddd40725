"""An incident's brief schedule: made with the incident's own operational period when it is activated,
read by anyone who reads the incident, changed by managers and supervisors (audited)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.access.roles import Role
from surge.briefs import periods
from surge.briefs.access import find_incident, require_read
from surge.briefs.models import BriefSchedule
from surge.briefs.schemas import ScheduleIn, ScheduleOut
from surge.incidents.models import Incident
from surge.kernel import audit
from surge.kernel.errors import NotFound
from surge.kernel.i18n import N_

CHANGE_SCHEDULE = frozenset({Role.ADMIN, Role.EMERGENCY_MANAGER, Role.SUPERVISOR})
DEFAULT_ZONE = "America/Chicago"


def rule_of(schedule: BriefSchedule) -> periods.Rule:
    return periods.Rule(timezone=schedule.timezone, hours=schedule.operational_period_hours,
                        start=schedule.period_start, cron=schedule.cron)


def of_incident(session: Session, incident_slug: str) -> BriefSchedule | None:
    return session.exec(select(BriefSchedule).where(BriefSchedule.incident_slug == incident_slug)).first()


def _default_start(incident: Incident, zone: str, now: datetime) -> datetime:
    """The incident's own operational-period start ("06:00") on the local day of activation."""
    local_day = (incident.activated_at or now).astimezone(ZoneInfo(zone)).date()
    return datetime.combine(local_day, time.fromisoformat(incident.period_start or "07:00"))


def ensure_default(session: Session, *, incident: Incident, actor: Principal, now: datetime) -> BriefSchedule:
    """The incident's schedule, made on first activation from what the incident says of its periods."""
    schedule = of_incident(session, incident.slug)
    if schedule is not None:
        return schedule
    zone = incident.timezone or DEFAULT_ZONE
    schedule = BriefSchedule(incident_slug=incident.slug, operational_period_hours=incident.operational_period_hours
                             or 12, period_start=_default_start(incident, zone, now), timezone=zone,
                             updated_at=now, updated_by=actor.actor)
    session.add(schedule)
    session.flush()
    audit.record(session, actor=actor.actor, action="brief_schedule.create", target_type="brief_schedule",
                 target_id=incident.slug, diff=_summary(schedule))
    return schedule


def ensure_missing(session: Session, *, statuses: tuple[str, ...], actor: Principal, now: datetime) -> int:
    """Default schedules for incidents in `statuses` that have none (activated before briefs existed, or by a
    path that skipped `briefs.activation`); how many were made."""
    lacking = session.exec(select(Incident).outerjoin(BriefSchedule, BriefSchedule.incident_slug == Incident.slug)
                           .where(Incident.status.in_(statuses), BriefSchedule.id.is_(None))).all()
    for incident in lacking:
        ensure_default(session, incident=incident, actor=actor, now=now)
    return len(lacking)


def _summary(schedule: BriefSchedule) -> dict:
    return {"operational_period_hours": schedule.operational_period_hours,
            "period_start": schedule.period_start.isoformat() if schedule.period_start else None,
            "cron": schedule.cron, "timezone": schedule.timezone, "catch_up": schedule.catch_up,
            "enabled": schedule.enabled}


def out(schedule: BriefSchedule, *, now: datetime) -> ScheduleOut:
    return ScheduleOut(incident=schedule.incident_slug, operational_period_hours=schedule.operational_period_hours,
                       period_start=schedule.period_start, cron=schedule.cron, timezone=schedule.timezone,
                       catch_up=schedule.catch_up, enabled=schedule.enabled,
                       next_brief_at=periods.next_end(rule_of(schedule), now=now) if schedule.enabled else None,
                       updated_at=schedule.updated_at, updated_by=schedule.updated_by)


def get(session: Session, *, slug: str, actor: Principal, now: datetime) -> ScheduleOut:
    incident = find_incident(session, slug)
    require_read(actor, incident)
    schedule = of_incident(session, slug)
    if schedule is None:
        raise NotFound(N_("The incident %(slug)s has no brief schedule yet: it gets one when activated."),
                       params={"slug": slug})
    return out(schedule, now=now)


def put(session: Session, *, slug: str, data: ScheduleIn, actor: Principal, now: datetime) -> ScheduleOut:
    permissions.require(actor, CHANGE_SCHEDULE)
    find_incident(session, slug)
    schedule = of_incident(session, slug)
    before = None if schedule is None else _summary(schedule)
    if schedule is None:
        schedule = BriefSchedule(incident_slug=slug, timezone=data.timezone)
    schedule.operational_period_hours = data.operational_period_hours
    schedule.period_start = data.period_start
    schedule.cron = data.cron
    schedule.timezone = data.timezone
    schedule.catch_up = data.catch_up
    schedule.enabled = data.enabled
    schedule.updated_at, schedule.updated_by = now, actor.actor
    session.add(schedule)
    session.flush()
    audit.record(session, actor=actor.actor, action="brief_schedule.update", target_type="brief_schedule",
                 target_id=slug, diff={"before": before, "after": _summary(schedule)})
    return out(schedule, now=now)
