"""Who may read an incident's briefs: one rule, so subscriptions can narrow it for partners later."""

from __future__ import annotations

from sqlmodel import Session

from surge.access import permissions
from surge.access.principal import Principal
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
    """Partners read every incident's briefs for now; a subscription check belongs here (then: 404, not 403)."""
    return permissions.allows(principal, READ_BRIEFS)


def require_read(principal: Principal, incident: Incident) -> None:
    permissions.require(principal, READ_BRIEFS)  # the wrong role altogether: 403
    if not can_read_briefs(principal, incident):
        raise NotFound(N_("There is no incident %(slug)s."), params={"slug": incident.slug})
