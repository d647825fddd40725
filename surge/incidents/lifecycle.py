"""Incidents: made and changed as drafts, activated and stood down by emergency managers, every step audited.

draft -> active -> demobilizing -> closed. `activate` on an active incident changes nothing (a second
click is harmless); `stand_down` takes an active incident to demobilizing, and a demobilizing one to
closed. A demobilizing incident may be activated again; a closed one may not. Each step brings in or tells
the linked clearinghouses (`linkages`) in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.centers.permissions import READ_NETWORK
from surge.incidents import linkages
from surge.incidents.models import Incident, IncidentFields, IncidentIn, IncidentOut, Status
from surge.kernel import audit
from surge.kernel.clock import utcnow
from surge.kernel.errors import Conflict, NotFound
from surge.kernel.i18n import N_


def _find(session: Session, slug: str) -> Incident:
    incident = session.get(Incident, slug)
    if incident is None:
        raise NotFound(N_("There is no incident %(slug)s."), params={"slug": slug})
    return incident


def _apply(incident: Incident, data: IncidentFields, area: dict, counties: list[str]) -> None:
    incident.name = data.name
    incident.type = data.type.value
    incident.exercise = data.exercise
    incident.level = data.level
    incident.timezone = data.timezone
    incident.operational_period_hours = data.operational_period_hours
    incident.period_start = data.period_start
    incident.area_source = data.area.source
    incident.area = area
    incident.counties = counties
    incident.updated_at = utcnow()


def _summary(incident: Incident) -> dict:
    return {"name": incident.name, "type": incident.type, "exercise": incident.exercise, "level": incident.level,
            "status": incident.status, "counties": len(incident.counties), "area_source": incident.area_source}


def create(session: Session, *, data: IncidentIn, area: dict, counties: list[str], actor: Principal) -> IncidentOut:
    permissions.require(actor, permissions.MANAGE_INCIDENTS)
    if session.get(Incident, data.slug) is not None:
        raise Conflict(N_("An incident with this slug already exists."), fields={"slug": N_("Already in use.")})
    incident = Incident(slug=data.slug, name=data.name, type=data.type.value, timezone=data.timezone,
                        area_source=data.area.source, area=area)
    _apply(incident, data, area, counties)
    session.add(incident)
    session.flush()
    audit.record(session, actor=actor.actor, action="incident.create", target_type="incident",
                 target_id=incident.slug, diff=_summary(incident))
    return IncidentOut.of(incident)


def update(session: Session, *, slug: str, data: IncidentFields, area: dict, counties: list[str],
           actor: Principal) -> IncidentOut:
    permissions.require(actor, permissions.MANAGE_INCIDENTS)
    incident = _find(session, slug)
    if incident.status == Status.CLOSED:
        raise Conflict(N_("A closed incident cannot be changed."))
    before = _summary(incident)
    _apply(incident, data, area, counties)
    session.add(incident)
    session.flush()
    audit.record(session, actor=actor.actor, action="incident.update", target_type="incident", target_id=slug,
                 diff={"before": before, "after": _summary(incident)})
    return IncidentOut.of(incident)


def _move(session: Session, incident: Incident, to: Status, *, reason: str, actor: Principal, now: datetime) -> None:
    before = incident.status
    incident.status = to.value
    if to is Status.ACTIVE:
        incident.activated_at = now
        incident.stood_down_at = None
    else:
        incident.stood_down_at = incident.stood_down_at or now
    incident.updated_at = now
    session.add(incident)
    session.flush()
    audit.record(session, actor=actor.actor, action=f"incident.{to.value}", target_type="incident",
                 target_id=incident.slug, diff={"from": before, "to": to.value, "reason": reason})


def activate(session: Session, *, slug: str, reason: str, actor: Principal, now: datetime) -> IncidentOut:
    permissions.require(actor, permissions.MANAGE_INCIDENTS)
    incident = _find(session, slug)
    if incident.status == Status.CLOSED:
        raise Conflict(N_("A closed incident cannot be activated again; make a new one."))
    if incident.status != Status.ACTIVE:
        _move(session, incident, Status.ACTIVE, reason=reason, actor=actor, now=now)
        linkages.on_activation(session, incident=incident, actor=actor, now=now)
    return IncidentOut.of(incident)


def stand_down(session: Session, *, slug: str, reason: str, actor: Principal, now: datetime) -> IncidentOut:
    permissions.require(actor, permissions.MANAGE_INCIDENTS)
    incident = _find(session, slug)
    steps = {Status.ACTIVE: Status.DEMOBILIZING, Status.DEMOBILIZING: Status.CLOSED}
    current = Status(incident.status)
    if current not in steps:
        raise Conflict(N_("Only an active or demobilizing incident can be stood down (this one is %(status)s)."),
                       params={"status": current.value})
    _move(session, incident, steps[current], reason=reason, actor=actor, now=now)
    linkages.on_stand_down(session, incident=incident, now=now)
    return IncidentOut.of(incident)


def get(session: Session, *, slug: str, actor: Principal) -> IncidentOut:
    permissions.require(actor, READ_NETWORK)
    return IncidentOut.of(_find(session, slug))


def list_incidents(session: Session, *, actor: Principal, status: Status | None = None) -> list[IncidentOut]:
    permissions.require(actor, READ_NETWORK)
    query = select(Incident).order_by(Incident.created_at.desc(), Incident.slug)
    if status is not None:
        query = query.where(Incident.status == status.value)
    return [IncidentOut.of(incident) for incident in session.exec(query).all()]


def disaster_counties(session: Session) -> frozenset[str]:
    """Counties under an active real incident: where disaster-only agreements are live. Exercises never
    move real calls."""
    rows = session.exec(select(Incident.counties).where(Incident.status == Status.ACTIVE.value,
                                                        Incident.exercise.is_(False))).all()
    return frozenset(fips for counties in rows for fips in counties)


def public(session: Session, *, slug: str) -> IncidentOut:
    """Anyone may read an active incident (its public page); any other answers as an unknown one does."""
    incident = session.get(Incident, slug)
    if incident is None or incident.status != Status.ACTIVE:
        raise NotFound(N_("There is no incident %(slug)s."), params={"slug": slug})
    return IncidentOut.of(incident)
