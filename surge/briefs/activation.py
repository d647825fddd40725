"""Activation with its brief schedule: the incident's lifecycle step, then the schedule it starts, in one
transaction. Edges that activate call this, so incidents need not know briefs exist."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from surge.access.principal import Principal
from surge.briefs import schedules
from surge.incidents import lifecycle
from surge.incidents.models import Incident, IncidentOut, Status


def activate(session: Session, *, slug: str, reason: str, actor: Principal, now: datetime) -> IncidentOut:
    answer = lifecycle.activate(session, slug=slug, reason=reason, actor=actor, now=now)
    if answer.status == Status.ACTIVE:
        schedules.ensure_default(session, incident=session.get(Incident, slug), actor=actor, now=now)
    return answer
