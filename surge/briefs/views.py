"""Reading briefs: an incident's list, and one brief whole (figures, narrative and header) as stored."""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session, select

from surge.access.principal import Principal
from surge.briefs import documents, periods
from surge.briefs.access import find_incident, require_read
from surge.briefs.models import Brief
from surge.briefs.schedules import of_incident, rule_of
from surge.briefs.schemas import BriefListOut, BriefOut, BriefSummaryOut
from surge.kernel.errors import NotFound
from surge.kernel.i18n import N_

MAX_LISTED = 1000  # newest first; an incident of a year at two briefs a day stays under it


def list_briefs(session: Session, *, slug: str, actor: Principal) -> BriefListOut:
    require_read(actor, find_incident(session, slug))
    rows = session.exec(select(Brief).where(Brief.incident_slug == slug).order_by(Brief.number.desc())
                        .limit(MAX_LISTED)).all()
    return BriefListOut(incident=slug, briefs=[
        BriefSummaryOut(number=row.number, period_start=row.period_start, period_end=row.period_end, kind=row.kind,
                        version=row.version, created_at=row.created_at, approved_by=row.approved_by)
        for row in rows])


def find_brief(session: Session, *, slug: str, number: int, actor: Principal, for_update: bool = False) -> Brief:
    """The stored brief, for a reader of the incident; 404 for a number the incident does not have. With
    `for_update`, its row is locked until the transaction ends (PostgreSQL; SQLite has one writer anyway)."""
    require_read(actor, find_incident(session, slug))
    query = select(Brief).where(Brief.incident_slug == slug, Brief.number == number)
    row = session.exec(query.with_for_update() if for_update else query).first()
    if row is None:
        raise NotFound(N_("The incident %(slug)s has no brief number %(number)s."),
                       params={"slug": slug, "number": number})
    return row


def get_brief(session: Session, *, slug: str, number: int, actor: Principal, now: datetime) -> BriefOut:
    row = find_brief(session, slug=slug, number=number, actor=actor)
    incident = find_incident(session, slug)
    schedule = of_incident(session, slug)
    next_at = periods.next_end(rule_of(schedule), now=now) if schedule is not None and schedule.enabled else None
    return BriefOut(incident=slug, incident_name=incident.name, exercise=incident.exercise, number=row.number,
                    kind=row.kind, version=row.version, period_start=row.period_start, period_end=row.period_end,
                    prepared_by=row.prepared_by, approved_by=row.approved_by, created_at=row.created_at,
                    next_brief_at=next_at, figures=json.loads(row.figures), narrative=row.narrative)


def brief_html(session: Session, *, slug: str, number: int, actor: Principal, language: str,
               now: datetime) -> tuple[str, str]:
    row = find_brief(session, slug=slug, number=number, actor=actor)
    return documents.filename(row, "html"), documents.html(session, row, language=language, now=now)


def brief_pdf(session: Session, *, slug: str, number: int, actor: Principal, language: str,
              now: datetime) -> tuple[str, bytes]:
    row = find_brief(session, slug=slug, number=number, actor=actor)
    return documents.filename(row, "pdf"), documents.pdf(session, row, language=language, now=now)
