"""Who may read an incident's briefs: staff read every incident's; a partner only those it subscribes to."""

from __future__ import annotations

from sqlalchemy.orm import object_session
from sqlmodel import Session

from surge.access import permissions
from surge.access.principal import Principal
from surge.access.roles import Role
from surge.briefs.subscriptions import is_subscribed
from surge.centers.permissions import READ_NETWORK
from surge.incidents.models import Incident
from surge.kernel.errors import NotFound
from surge.kernel.i18n import N_

READ_BRIEFS = READ_NETWORK  # everyone who can read the incident; phone systems cannot


def find_incident(session: Session, slug: str) -> Incident:
    incident = session.get(Incident, slug)
    if incident is None:
        raise NotFound(N_("There is no incident %(slug)s."), params={"slug": slug})
    return incident


def can_read_briefs(principal: Principal, incident: Incident) -> bool:
    """Staff always; a partner when subscribed to the incident, directly or by an area its counties meet
    (read in the session the incident was loaded in)."""
    if not permissions.allows(principal, READ_BRIEFS):
        return False
    return principal.role != Role.PARTNER.value or is_subscribed(object_session(incident), principal, incident)


def require_read(principal: Principal, incident: Incident) -> None:
    permissions.require(principal, READ_BRIEFS)  # the wrong role altogether: 403
    if not can_read_briefs(principal, incident):  # not subscribed: as if there were no such incident
        raise NotFound(N_("There is no incident %(slug)s."), params={"slug": incident.slug})
