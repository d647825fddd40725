"""What activating an incident would bring in, worked out without storing anything: the clearinghouses its
protocols would link and the disaster-only overflow agreements that would come alive."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.centers.models import Agreement, Center
from surge.incidents import linkages
from surge.incidents.linkage_models import ProposedOut
from surge.incidents.models import IncidentFields
from surge.kernel.validation import Slug


class PreviewIn(IncidentFields):
    """The body of a new incident; its slug may be left out."""

    slug: Slug | None = None


class AgreementPreview(BaseModel):
    id: int
    from_center: str
    to_center: str
    priority: int
    counties: list[str] = Field(description="the incident's counties it would serve")


class PreviewOut(BaseModel):
    polygon: dict = Field(description="the area's polygon, as GeoJSON")
    counties: list[str]
    clearinghouses: list[ProposedOut] = Field(description="the clearinghouses activation would link")
    agreements: list[AgreementPreview] = Field(description="disaster-only agreements that activation would bring "
                                                           "into routing (never for an exercise)")


def disaster_agreements(session: Session, *, counties: list[str], at: datetime) -> list[AgreementPreview]:
    """Disaster-only agreements, valid at that time, whose from-center serves one of these counties."""
    wanted = frozenset(counties)
    served = {row.slug: frozenset(row.counties) | frozenset(row.area_counties) for row in session.exec(
        select(Center.slug, Center.counties, Center.area_counties).where(Center.active)).all()}
    found = []
    for agreement in session.exec(select(Agreement).where(Agreement.disaster_only)
                                  .order_by(Agreement.from_center, Agreement.priority, Agreement.id)).all():
        if agreement.from_center not in served or agreement.to_center not in served:
            continue
        if (agreement.valid_from and at < agreement.valid_from) or (agreement.valid_to and at >= agreement.valid_to):
            continue
        scope = frozenset(agreement.counties) or served[agreement.from_center]
        shared = sorted(scope & wanted)
        if shared:
            found.append(AgreementPreview(id=agreement.id, from_center=agreement.from_center,
                                          to_center=agreement.to_center, priority=agreement.priority,
                                          counties=shared))
    return found


def preview(session: Session, *, data: IncidentFields, area: dict, counties: list[str], actor: Principal,
            now: datetime) -> PreviewOut:
    permissions.require(actor, permissions.MANAGE_INCIDENTS)
    day = linkages.local_day(now, data.timezone)
    return PreviewOut(
        polygon=area, counties=counties,
        clearinghouses=linkages.proposed_linkages(session, incident_type=data.type.value, counties=counties, on=day),
        agreements=[] if data.exercise else disaster_agreements(session, counties=counties, at=now))
