"""Creating, changing and listing clearinghouses; their service area checked against the geography.

Plain functions over the session, on the kernel and geo only: the caller (the API) checks who may act,
and passes the actor's audit name.
"""

from __future__ import annotations

from sqlmodel import Session, select

import geo
from clearinghouse import protocols
from clearinghouse.models import CapacityIn, Clearinghouse, ClearinghouseFields, ClearinghouseIn, ClearinghouseOut
from surge.kernel import audit
from surge.kernel.clock import utcnow
from surge.kernel.errors import Conflict, NotFound, ValidationFailed
from surge.kernel.i18n import N_

AREA_SHARE = 0.5  # as for centers: a drawn area serves the counties at least half inside it


def area_counties(area: dict) -> list[str]:
    """The counties a drawn service area covers. CPU-heavy for large shapes: the web runs it in a worker."""
    try:
        parsed = geo.parse_geojson_polygon(area)
        return sorted(fips for fips, _ in geo.counties_covering(parsed.geometry, min_fraction=AREA_SHARE))
    except geo.InvalidInput as exc:
        raise ValidationFailed(N_("The shape cannot be used: %(reason)s"), params={"reason": exc.message},
                               fields={"area": exc.message}) from None


def _check_codes(data: ClearinghouseFields) -> None:
    for fips in data.counties:
        try:
            geo.county(fips)
        except geo.UnknownCode:
            raise ValidationFailed(N_("County FIPS code %(code)s is not a known US county."), params={"code": fips},
                                   fields={"counties": N_("Unknown county.")}) from None
    if data.location.zip is not None:
        try:
            geo.zip_shares(data.location.zip)
        except geo.UnknownCode:
            raise ValidationFailed(N_("ZIP code %(code)s is not a known US ZIP code."),
                                   params={"code": data.location.zip},
                                   fields={"location.zip": N_("Unknown ZIP code.")}) from None


def find(session: Session, slug: str) -> Clearinghouse:
    row = session.get(Clearinghouse, slug)
    if row is None:
        raise NotFound(N_("There is no clearinghouse %(slug)s."), params={"slug": slug})
    return row


def exists(session: Session, *, slug: str) -> bool:
    row = session.get(Clearinghouse, slug)
    return row is not None and row.active


def _apply(row: Clearinghouse, data: ClearinghouseFields, counties_of_area: list[str]) -> None:
    row.name = data.name
    row.kind = data.kind.value
    row.counties = data.counties
    row.area = data.area
    row.area_counties = counties_of_area
    row.lat, row.lon, row.zip = data.location.lat, data.location.lon, data.location.zip
    row.radius_miles = data.radius_miles
    row.accepts = data.accepts.model_dump()
    row.capacity = data.capacity
    row.hours = data.hours
    row.languages = data.languages
    row.contacts = [contact.model_dump() for contact in data.contacts]
    row.delivery_emails = data.delivery.emails
    row.webhook_url = data.delivery.webhook_url
    if data.delivery.webhook_secret is not None:  # write-only: leaving it out keeps the one stored
        row.webhook_secret = data.delivery.webhook_secret
    row.updated_at = utcnow()


def _summary(row: Clearinghouse) -> dict:
    # No contact details and no secret in the audit log: only what changed in kind and scope.
    return {"name": row.name, "kind": row.kind, "counties": row.counties, "area_counties": row.area_counties,
            "accepts": row.accepts, "webhook": row.webhook_url is not None}


def create(session: Session, *, data: ClearinghouseIn, actor: str, counties_of_area: list[str] | None = None
           ) -> ClearinghouseOut:
    _check_codes(data)
    if session.get(Clearinghouse, data.slug) is not None:
        raise Conflict(N_("A clearinghouse with this slug already exists."), fields={"slug": N_("Already in use.")})
    if data.area is not None and counties_of_area is None:
        counties_of_area = area_counties(data.area)
    row = Clearinghouse(slug=data.slug, name=data.name, kind=data.kind.value)
    _apply(row, data, counties_of_area or [])
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="clearinghouse.create", target_type="clearinghouse",
                 target_id=row.slug, diff=_summary(row))
    if data.protocols:
        protocols.replace_all(session, clearinghouse=row, protocols=data.protocols, actor=actor)
    return _out(session, row)


def update(session: Session, *, slug: str, data: ClearinghouseFields, actor: str,
           counties_of_area: list[str] | None = None) -> ClearinghouseOut:
    row = find(session, slug)
    _check_codes(data)
    if data.area is not None and counties_of_area is None:
        counties_of_area = area_counties(data.area)
    before = _summary(row)
    _apply(row, data, counties_of_area or [])
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="clearinghouse.update", target_type="clearinghouse", target_id=slug,
                 diff={"before": before, "after": _summary(row)})
    if data.protocols is not None:
        protocols.replace_all(session, clearinghouse=row, protocols=data.protocols, actor=actor)
    else:
        protocols.check_stored_fit(session, clearinghouse=row)
    return _out(session, row)


def update_capacity(session: Session, *, slug: str, data: CapacityIn, actor: str) -> ClearinghouseOut:
    row = find(session, slug)
    before = dict(row.capacity)
    row.capacity = {**row.capacity, **data.capacity}
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="clearinghouse.capacity", target_type="clearinghouse", target_id=slug,
                 diff={"before": before, "after": row.capacity})
    return _out(session, row)


def _out(session: Session, row: Clearinghouse) -> ClearinghouseOut:
    return ClearinghouseOut.of(row, protocols.by_clearinghouse(session, [row.slug])[row.slug])


def get(session: Session, *, slug: str) -> ClearinghouseOut:
    return _out(session, find(session, slug))


def list_all(session: Session) -> list[ClearinghouseOut]:
    rows = session.exec(select(Clearinghouse).where(Clearinghouse.active).order_by(Clearinghouse.slug)).all()
    found = protocols.by_clearinghouse(session, [row.slug for row in rows])
    return [ClearinghouseOut.of(row, found[row.slug]) for row in rows]
