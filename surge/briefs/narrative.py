"""An incident's narrative: the four plain-text parts a brief carries as they stood when it was produced."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from surge.access import permissions
from surge.access.principal import Principal
from surge.briefs.access import find_incident, require_read
from surge.briefs.models import NARRATIVE_PARTS, Narrative
from surge.briefs.schedules import CHANGE_SCHEDULE
from surge.briefs.schemas import NarrativeIn, NarrativeOut
from surge.kernel import audit

WRITE_NARRATIVE = CHANGE_SCHEDULE


def snapshot(session: Session, incident_slug: str) -> dict[str, str]:
    """The narrative's parts now, empty when nobody has written one."""
    row = session.get(Narrative, incident_slug)
    return {part: (getattr(row, part) if row is not None else "") for part in NARRATIVE_PARTS}


def _out(slug: str, row: Narrative | None) -> NarrativeOut:
    parts = {part: (getattr(row, part) if row is not None else "") for part in NARRATIVE_PARTS}
    return NarrativeOut(incident=slug, **parts, updated_at=row.updated_at if row else None,
                        updated_by=row.updated_by if row else "")


def get(session: Session, *, slug: str, actor: Principal) -> NarrativeOut:
    require_read(actor, find_incident(session, slug))
    return _out(slug, session.get(Narrative, slug))


def put(session: Session, *, slug: str, data: NarrativeIn, actor: Principal, now: datetime) -> NarrativeOut:
    permissions.require(actor, WRITE_NARRATIVE)
    find_incident(session, slug)
    row = session.get(Narrative, slug)
    if row is None:
        row = Narrative(incident_slug=slug)
    changed = [part for part in NARRATIVE_PARTS if getattr(row, part) != getattr(data, part)]
    for part in NARRATIVE_PARTS:
        setattr(row, part, getattr(data, part))
    row.updated_at, row.updated_by = now, actor.actor
    session.add(row)
    session.flush()
    # The parts' sizes, not their text: the narrative itself is kept in the table and in every brief.
    audit_diff = {"changed": changed, "lengths": {part: len(getattr(data, part)) for part in NARRATIVE_PARTS}}
    audit.record(session, actor=actor.actor, action="brief_narrative.update", target_type="brief_narrative",
                 target_id=slug, diff=audit_diff)
    return _out(slug, row)
