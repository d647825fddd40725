"""An incident proposed from a CAP alert: what an emergency manager would post, worked out but not stored."""

from __future__ import annotations

import re

from surge.access import permissions
from surge.access.principal import Principal
from surge.alerts.event_types import incident_type
from surge.alerts.models import AlertOut, ProposalOut, ProposedArea, ProposedIncident
from surge.alerts.timezones import likely_timezone
from surge.incidents import areas
from surge.incidents.models import IncidentType

NAME_LENGTH = 200  # Incident.name
SLUG_LENGTH = 63


def _name(event: str, headline: str) -> str:
    name = " — ".join(part for part in (event, headline) if part) or "CAP alert"
    return name if len(name) <= NAME_LENGTH else name[:NAME_LENGTH - 1].rstrip() + "…"


def _slug(event: str, sent: str) -> str:
    """event-yyyy-mm-dd in the slug alphabet, e.g. severe-thunderstorm-2003-06-17."""
    words = re.sub(r"[^a-z0-9]+", "-", event.lower()).strip("-") or "alert"
    day = sent[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", sent) else ""
    base = words[:SLUG_LENGTH - len(day) - 1].strip("-")
    return f"{base}-{day}" if day else base


def propose(xml: bytes, *, actor: Principal) -> ProposalOut:
    """The proposal for the alert in `xml`, or a 422 saying what is wrong with it. CPU-heavy for large areas:
    the web runs it in a geometry worker."""
    permissions.require(actor, permissions.MANAGE_INCIDENTS)
    alert, found = areas.alert_footprint(xml)
    kind = incident_type(alert.event, alert.categories)
    if kind not in IncidentType.__members__.values():
        kind = IncidentType.OTHER.value
    polygon = areas.polygon(found.geometry)
    proposed = ProposedIncident(slug=_slug(alert.event, alert.sent), name=_name(alert.event, alert.headline),
                                type=kind, exercise=alert.status == "Exercise",
                                timezone=likely_timezone(found.counties), area=ProposedArea(geojson=polygon))
    return ProposalOut(proposed=proposed, counties=found.counties, polygon=polygon, unresolved=found.unresolved,
                       alert=AlertOut(identifier=alert.identifier, sender=alert.sender, sent=alert.sent,
                                      event=alert.event, headline=alert.headline, severity=alert.severity,
                                      urgency=alert.urgency))
