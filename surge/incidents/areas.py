"""An incident's area, whatever form it was given in, as one stored polygon and the counties it covers."""

from __future__ import annotations

import shapely

import geo
from surge.access.principal import Principal
from surge.incidents.models import AreaIn
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_
from surge.locations import lookups

SIMPLIFY_DEGREES = 0.005  # about half a kilometre: enough for a map, small enough to store
COVERED_SHARE = 0.01  # a drawn area covers a county when at least 1% of the county lies inside it


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


def resolve(area: AreaIn, *, actor: Principal) -> tuple[dict, list[str]]:
    """(polygon as GeoJSON, sorted county FIPS codes). A drawn area is CPU-heavy: the web runs this in a
    geometry worker."""
    if area.geojson is not None:
        shape = area.geojson.model_dump(mode="json", exclude_none=True)
        covered = [c.county_fips for c in lookups.coverage(shape, min_fraction=COVERED_SHARE, actor=actor).counties]
        if not covered:
            raise ValidationFailed(N_("The area covers no US county."), fields={"area.geojson": N_("Outside the US.")})
        return geo.to_geojson(geo.parse_geojson_polygon(shape).geometry.simplify(SIMPLIFY_DEGREES)), sorted(covered)
    counties = area.counties if area.counties is not None else _counties_of_zips(area.zips)
    return _outline(counties), sorted(counties)
