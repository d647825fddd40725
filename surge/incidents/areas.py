"""An incident's area, whatever form it was given in, as one stored polygon and the counties it covers."""

from __future__ import annotations

import shapely

from sqlmodel import Session

import geo
from surge.access import permissions
from surge.access.principal import Principal
from surge.alerts import cap, fema
from surge.alerts.footprint import Footprint, footprint
from surge.incidents.models import AreaIn
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_
from surge.locations import lookups

SIMPLIFY_DEGREES = 0.005  # about half a kilometre: enough for a map, small enough to store


def _unknown(field: str, message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, params={"code": code}, fields={field: N_("Unknown code.")})


def _counties_of_zips(zips: list[str]) -> list[str]:
    counties = []
    for zip_code in zips:
        try:
            counties.append(geo.zip_shares(zip_code)[0].county_fips)  # a ZIP code counts for its primary county
        except geo.UnknownCode:
            raise _unknown("area.zips", N_("ZIP code %(code)s is not a known US ZIP code."), zip_code) from None
    return list(dict.fromkeys(counties))


def _outline(counties: list[str]) -> dict:
    shapes = []
    for fips in counties:
        try:
            found = geo.county(fips)
        except geo.UnknownCode:
            raise _unknown("area.counties", N_("County FIPS code %(code)s is not a known US county."), fips) from None
        if found.geometry is not None:
            shapes.append(found.geometry)
    if not shapes:
        raise ValidationFailed(N_("None of these counties has a boundary to draw."),
                               fields={"area": N_("No boundary.")})
    return geo.to_geojson(shapely.union_all(shapes).simplify(SIMPLIFY_DEGREES))


def polygon(geometry) -> dict:
    """A shape as the incident stores and answers it: simplified for the map, as GeoJSON."""
    return geo.to_geojson(geometry.simplify(SIMPLIFY_DEGREES))


def alert_footprint(xml: str | bytes) -> tuple[cap.Alert, Footprint]:
    """A CAP alert and its footprint, or a 422 saying what is wrong with it."""
    raw = xml.encode("utf-8") if isinstance(xml, str) else xml
    alert = cap.parse(raw)
    return alert, footprint(alert)


def resolve(area: AreaIn, *, actor: Principal) -> tuple[dict, list[str]]:
    """(polygon as GeoJSON, sorted county FIPS codes). A drawn area or an alert is CPU-heavy: the web runs this
    in a geometry worker. A FEMA declaration needs the database: see resolve_declaration."""
    permissions.require(actor, permissions.MAP_COVERAGE)
    if area.geojson is not None:
        geometry, covered = lookups.drawn_area(area.geojson.model_dump(mode="json", exclude_none=True))
        if not covered:
            raise ValidationFailed(N_("The area covers no US county."), fields={"area.geojson": N_("Outside the US.")})
        return polygon(geometry), covered
    if area.cap is not None:
        _alert, found = alert_footprint(area.cap)
        return polygon(found.geometry), found.counties
    if area.fema_declaration is not None:
        raise ValueError("a FEMA declaration is resolved with resolve_declaration, in a transaction")
    counties = area.counties if area.counties is not None else _counties_of_zips(area.zips)
    return _outline(counties), sorted(counties)


def resolve_declaration(session: Session, *, area: AreaIn, actor: Principal) -> tuple[dict, list[str]]:
    """The counties an imported FEMA declaration names, and their outline."""
    permissions.require(actor, permissions.MANAGE_INCIDENTS)
    counties = fema.declared_counties(session, declaration=area.fema_declaration)
    return _outline(counties), counties
