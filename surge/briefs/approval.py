"""Approving a brief: an emergency manager or supervisor signs it off once, and its header names them.

A brief's figures and narrative never change after it is produced; approval adds only who signed it off
(audited with the time). A second approval is refused, so the header never changes hands silently.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from surge.access import permissions
from surge.access.principal import Principal
from surge.briefs import views
from surge.briefs.schedules import CHANGE_SCHEDULE
from surge.briefs.schemas import BriefOut
from surge.kernel import audit
from surge.kernel.errors import Conflict
from surge.kernel.i18n import N_

APPROVE_BRIEFS = CHANGE_SCHEDULE


def approve(session: Session, *, slug: str, number: int, actor: Principal, now: datetime) -> BriefOut:
    permissions.require(actor, APPROVE_BRIEFS)
    row = views.find_brief(session, slug=slug, number=number, actor=actor, for_update=True)
    if row.approved_by:
        raise Conflict(N_("Brief %(number)s of %(slug)s was approved already, by %(who)s."),
                       params={"number": number, "slug": slug, "who": row.approved_by})
    row.approved_by = actor.actor
    session.add(row)
    session.flush()
    audit.record(session, actor=actor.actor, action="brief.approve", target_type="brief",
                 target_id=f"{slug}/{number}", diff={"approved_by": actor.actor, "at": now.isoformat()})
    return views.get_brief(session, slug=slug, number=number, actor=actor, now=now)
