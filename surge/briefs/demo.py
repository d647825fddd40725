"""The demo exercise's briefs: two subscribers, then the last operational periods produced as the scheduler
would have, so the archive and the outbox have something to show. Safe to run again: it adds nothing then."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from surge.access.principal import Principal
from surge.accounts.users import find_by_email
from surge.briefs import distribution, periods, production, schedules, subscriptions
from surge.briefs.models import Brief
from surge.briefs.subscription_schemas import SubscriptionIn
from surge.incidents.models import Incident
from surge.kernel.errors import Conflict
from surge.kernel.validation import validate

DUTY_EMAIL = "eoc-duty@example.org"
PERIODS = 4
# How far back to look for those periods: four of the longest fixed period allowed, and a margin.
LOOK_BACK = timedelta(days=30)


def _subscribe(session: Session, body: dict, *, actor: Principal, now: datetime) -> None:
    try:
        subscriptions.create(session, data=validate(SubscriptionIn, body), actor=actor, now=now)
    except Conflict:
        pass  # subscribed on an earlier run


def load_briefs(session: Session, *, slug: str, partner_email: str, actor: Principal, now: datetime,
                thresholds: production.Thresholds) -> int:
    """Subscribe the duty desk and the demo partner, then produce the last periods once; how many briefs."""
    incident = session.get(Incident, slug)
    if incident is None or incident.status not in production.SCHEDULED_FOR:
        return 0
    _subscribe(session, {"incident": slug, "email": DUTY_EMAIL}, actor=actor, now=now)
    partner = find_by_email(session, email=partner_email)
    if partner is not None:
        _subscribe(session, {"incident": slug, "user_id": partner.id}, actor=actor, now=now)
    if session.exec(select(Brief.id).where(Brief.incident_slug == slug).limit(1)).first() is not None:
        return 0
    schedule = schedules.ensure_default(session, incident=incident, actor=actor, now=now)
    window = periods.periods(schedules.rule_of(schedule), after=now - LOOK_BACK, until=now)[-PERIODS:]
    made = [production.produce_scheduled(session, schedule_id=schedule.id, period=period, now=now,
                                         thresholds=thresholds, actor=actor) for period in window]
    for brief in made:
        if brief is not None:
            distribution.distribute_brief(session, slug=slug, number=brief.number, now=now,
                                          public_url=thresholds.public_url)
    return sum(brief is not None for brief in made)
