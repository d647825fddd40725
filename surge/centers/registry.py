"""Creating, changing, listing and deactivating centers, with their coverage checked against the geography."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, select

import geo
from surge.access import permissions
from surge.access.principal import Principal
from surge.centers import network_revision
from surge.centers.models import Center, CenterFields, CenterIn
from surge.centers.permissions import CREATE_CENTERS, EDIT_CENTERS, READ_NETWORK, require_own_center
from surge.centers.views import CenterOut, OverlapOut
from surge.kernel import audit
from surge.kernel.clock import utcnow
from surge.kernel.errors import Conflict, NotFound, ValidationFailed
from surge.kernel.i18n import N_
from surge.locations import lookups

AREA_SHARE = 0.5  # a drawn area covers the counties at least half inside it


def area_counties(area: dict, *, actor: Principal) -> list[str]:
    """The counties a drawn area covers. CPU-heavy for large shapes: the web runs it in a geometry worker."""
    answer = lookups.coverage(area, min_fraction=AREA_SHARE, actor=actor)
    return [county.county_fips for county in answer.counties]


def check_codes(data: CenterFields) -> None:
    """Every county and ZIP code must be a real one: an unknown code is refused, never kept."""
    for fips in data.counties:
        try:
            geo.county(fips)
        except geo.UnknownCode:
            raise ValidationFailed(N_("County FIPS code %(code)s is not a known US county."), params={"code": fips},
                                   fields={"counties": N_("Unknown county.")}) from None
    for zip_code in data.zips:
        try:
            geo.zip_shares(zip_code)
        except geo.UnknownCode:
            raise ValidationFailed(N_("ZIP code %(code)s is not a known US ZIP code."), params={"code": zip_code},
                                   fields={"zips": N_("Unknown ZIP code.")}) from None


def find(session: Session, slug: str, *, active_only: bool = False) -> Center:
    center = session.get(Center, slug)
    if center is None or (active_only and not center.active):
        raise NotFound(N_("There is no center %(slug)s."), params={"slug": slug})
    return center


def exists(session: Session, *, slug: str) -> bool:
    """For the ties of users and tokens: a tie must name an active center."""
    center = session.get(Center, slug)
    return center is not None and center.active


def overlaps(session: Session, center: Center) -> list[OverlapOut]:
    """Counties this center covers that another active center covers too: reported, never silently accepted."""
    mine = set(center.counties) | set(center.area_counties)
    others: dict[str, list[str]] = defaultdict(list)
    for other in session.exec(select(Center).where(Center.active, Center.slug != center.slug)).all():
        for fips in mine & (set(other.counties) | set(other.area_counties)):
            others[fips].append(other.slug)
    return [OverlapOut(county_fips=fips, also_covered_by=sorted(slugs)) for fips, slugs in sorted(others.items())]


def _apply(center: Center, data: CenterFields, counties_of_area: list[str]) -> None:
    center.name = data.name
    center.timezone = data.timezone
    center.counties = data.counties
    center.zips = data.zips
    center.area = data.stored_area()
    center.area_counties = counties_of_area
    center.languages = data.languages
    center.tty = data.tty
    center.hours = data.hours
    center.closures = data.stored_closures()
    center.seats = data.seats
    center.accredited = data.accredited
    center.sip_uri = data.sip_uri
    center.updated_at = utcnow()


def _summary(center: Center) -> dict:
    return {"name": center.name, "counties": center.counties, "zips": len(center.zips),
            "area_counties": center.area_counties, "languages": center.languages, "hours": center.hours,
            "active": center.active}


def create(session: Session, *, data: CenterIn, actor: Principal, counties_of_area: list[str] | None = None
           ) -> CenterOut:
    permissions.require(actor, CREATE_CENTERS)
    check_codes(data)
    if session.get(Center, data.slug) is not None:
        raise Conflict(N_("A center with this slug already exists."), fields={"slug": N_("Already in use.")})
    if data.area is not None and counties_of_area is None:
        counties_of_area = area_counties(data.stored_area(), actor=actor)
    center = Center(slug=data.slug, name=data.name, timezone=data.timezone)
    _apply(center, data, counties_of_area or [])
    session.add(center)
    session.flush()
    network_revision.bump(session)
    audit.record(session, actor=actor.actor, action="center.create", target_type="center", target_id=center.slug,
                 diff=_summary(center))
    return CenterOut.of(center, overlaps(session, center))


def update(session: Session, *, slug: str, data: CenterFields, actor: Principal,
           counties_of_area: list[str] | None = None) -> CenterOut:
    require_own_center(actor, slug, EDIT_CENTERS)
    center = find(session, slug)
    check_codes(data)
    if data.area is not None and counties_of_area is None:
        counties_of_area = area_counties(data.stored_area(), actor=actor)
    before = _summary(center)
    _apply(center, data, counties_of_area or [])
    center.active = True
    session.add(center)
    session.flush()
    network_revision.bump(session)
    audit.record(session, actor=actor.actor, action="center.update", target_type="center", target_id=slug,
                 diff={"before": before, "after": _summary(center)})
    return CenterOut.of(center, overlaps(session, center))


def deactivate(session: Session, *, slug: str, actor: Principal) -> CenterOut:
    permissions.require(actor, CREATE_CENTERS)
    center = find(session, slug)
    center.active = False
    center.updated_at = utcnow()
    session.add(center)
    session.flush()
    network_revision.bump(session)
    audit.record(session, actor=actor.actor, action="center.deactivate", target_type="center", target_id=slug)
    return CenterOut.of(center)


def get(session: Session, *, slug: str, actor: Principal) -> CenterOut:
    permissions.require(actor, READ_NETWORK)
    center = find(session, slug)
    return CenterOut.of(center, overlaps(session, center))


def list_centers(session: Session, *, actor: Principal, include_inactive: bool = False) -> list[CenterOut]:
    permissions.require(actor, READ_NETWORK)
    query = select(Center).order_by(Center.slug)
    if not include_inactive:
        query = query.where(Center.active)
    return [CenterOut.of(center) for center in session.exec(query).all()]
