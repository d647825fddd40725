"""Logging a need: while its incident is open, for a center, in a county known to the geography."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func
from sqlmodel import Session, select

import geo
from surge.access import permissions
from surge.access.principal import Principal
from surge.access.roles import Role
from surge.centers.models import Center
from surge.incidents.models import Incident, Status
from surge.kernel import audit
from surge.kernel.errors import Conflict, Forbidden, NotFound, ValidationFailed
from surge.kernel.i18n import N_
from surge.needs.models import NeedReport, NeedReportIn, NeedReportOut, Source, reason_problem

# Needs are still logged while an incident demobilizes: people keep calling after the peak.
OPEN_FOR_NEEDS = (Status.ACTIVE.value, Status.DEMOBILIZING.value)


def open_incident(session: Session, slug: str) -> Incident:
    incident = session.get(Incident, slug)
    if incident is None:
        raise NotFound(N_("There is no incident %(slug)s."), params={"slug": slug})
    if incident.status not in OPEN_FOR_NEEDS:
        raise Conflict(N_("Needs can be logged for %(name)s only while it is active or demobilizing; it is "
                          "%(status)s."), params={"name": incident.name, "status": incident.status})
    return incident


def county_of(*, county: str | None, zip_code: str | None) -> str:
    """The county FIPS code of a county or a ZIP code (its main county); 422 for a code the geography lacks."""
    if zip_code is not None:
        try:
            return geo.zip_shares(zip_code)[0].county_fips
        except geo.UnknownCode:
            raise ValidationFailed(N_("ZIP code %(code)s is not a known US ZIP code."), params={"code": zip_code},
                                   fields={"zip": N_("Unknown ZIP code.")}) from None
    try:
        return geo.county(county or "").fips
    except geo.UnknownCode:
        raise ValidationFailed(N_("County FIPS code %(code)s is not a known US county."), params={"code": county},
                               fields={"county": N_("Unknown county.")}) from None


def center_for(session: Session, actor: Principal, center: str | None) -> str:
    """The center a need is logged for: the caller's own when not named; only admins log for any center."""
    if center is None:
        center = actor.center_slug
        if center is None:
            raise ValidationFailed(N_("Name the center that took the call."),
                                   fields={"center": N_("This field is required.")})
    elif actor.role != Role.ADMIN and actor.center_slug != center:
        raise Forbidden(N_("You may only act for your own center."))
    found = session.get(Center, center)
    if found is None or not found.active:
        raise ValidationFailed(N_("There is no center %(slug)s."), params={"slug": center},
                               fields={"center": N_("Unknown center.")})
    return center


def check_reason(met: bool, unmet_reason: str | None) -> None:
    problem = reason_problem(met, unmet_reason)
    if problem:
        raise ValidationFailed(problem, fields={"unmet_reason": problem})


def log_need(session: Session, *, incident_slug: str, data: NeedReportIn, actor: Principal,
             now: datetime) -> NeedReportOut:
    permissions.require(actor, permissions.LOG_NEEDS)
    open_incident(session, incident_slug)
    check_reason(data.met, data.unmet_reason)
    county = county_of(county=data.county, zip_code=data.zip)
    center = center_for(session, actor, data.center)
    row = NeedReport(incident_slug=incident_slug, center_slug=center, county_fips=county, zip=data.zip,
                     category=data.category.value, met=data.met,
                     unmet_reason=data.unmet_reason.value if data.unmet_reason else None, logged_at=now,
                     logged_by=actor.id if actor.is_person else None, source=Source.CALL.value)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor.actor, action="need_report.log", target_type="need_report", target_id=row.id,
                 diff={"incident": incident_slug, "center": center, "county": county, "category": row.category,
                       "met": row.met, "unmet_reason": row.unmet_reason})
    return NeedReportOut.of(row)


@dataclass(frozen=True)
class Tally:
    total: int
    met: int
    unmet: int


def tally(session: Session, *, incident_slug: str, user_id: int, since: datetime) -> Tally:
    """What one person has logged on an incident since `since` (the start of their day)."""
    total, met = session.execute(
        select(func.count(NeedReport.id), func.coalesce(func.sum(case((NeedReport.met, 1), else_=0)), 0))
        .where(NeedReport.incident_slug == incident_slug, NeedReport.logged_by == user_id,
               NeedReport.logged_at >= since)).one()
    return Tally(total=int(total), met=int(met), unmet=int(total) - int(met))
