"""One incident as its page and the API show it: the incident and the clearinghouses it brings in."""

from __future__ import annotations

from sqlmodel import Session

from surge.access.principal import Principal
from surge.incidents import lifecycle, linkages
from surge.incidents.linkage_models import IncidentDetailOut


def detail(session: Session, *, slug: str, actor: Principal) -> IncidentDetailOut:
    incident = lifecycle.get(session, slug=slug, actor=actor)  # checks who may read
    return IncidentDetailOut(**incident.model_dump(), linkages=linkages.linkages_of(session, incident_slug=slug))
