"""Location lookups as Surge answers them: geo's results and errors turned into API answers and errors."""

from __future__ import annotations

import threading

from shapely.geometry.base import BaseGeometry

import geo
from geo.complexity import TooComplex
from surge.access import permissions
from surge.access.principal import Principal
from surge.kernel.errors import ApiError, NotFound, ValidationFailed
from surge.kernel.i18n import N_
from surge.locations.models import (
    INVALID_FIELD_MESSAGES,
    CountyIn,
    CountyOut,
    CoverageOut,
    CoveredCountyOut,
    LocateIn,
    LocationOut,
)

_warm = threading.Event()
# A drawn area (an incident's polygon, an alert's polygons and circles) covers a county when at least 1% of the
# county lies inside it: the one rule, used wherever a shape becomes counties.
COVERED_SHARE = 0.01


def warm_up() -> None:
    """Load the boundaries, index and ZIP table now, so the first caller does not wait seconds."""
    geo.locate_zip("77002")
    geo.locate_point(29.76, -95.37)
    _warm.set()


def is_warm() -> bool:
    return _warm.is_set()


# Why a shape is too complex, by the limit it passed: fixed wording, so that it can be translated.
TOO_COMPLEX_MESSAGES = {
    "points": N_("The shape is too complex: it has more than %(limit)s points. Simplify it and try again."),
    "crossings": N_("The shape is too complex: its outline crosses itself in more than %(limit)s places. "
                    "Draw it without crossing lines, or as fewer pieces."),
    "crowded": N_("The shape is too complex: its edges lie too densely on top of each other to be checked. "
                  "Simplify it and try again."),
    "counties": N_("The shape is too complex: its outline runs back and forth across too many counties to be "
                   "measured quickly. Simplify it and try again."),
}


def _too_complex(exc: TooComplex) -> ApiError:
    message = TOO_COMPLEX_MESSAGES.get(exc.kind, TOO_COMPLEX_MESSAGES["crowded"])
    return ValidationFailed(message, params={"limit": f"{exc.limit:,}"},
                            fields={exc.field: N_("This shape is too complex to work with.")}, code="too_complex")


def _invalid(exc: geo.InvalidInput) -> ApiError:
    if isinstance(exc, TooComplex):
        return _too_complex(exc)
    if exc.field in INVALID_FIELD_MESSAGES:
        return ValidationFailed(N_("Some of the information given is not valid."),
                                fields={exc.field: INVALID_FIELD_MESSAGES[exc.field]})
    # Shape problems vary too much for fixed wording: the geometry's own reason is passed along.
    return ValidationFailed(N_("The shape cannot be used: %(reason)s"), params={"reason": exc.message},
                            fields={exc.field: exc.message})


def _unknown_county(fips: str, exc: geo.UnknownCode | None = None) -> NotFound:
    if isinstance(exc, geo.NewerThanData):
        # A real, current code that the boundary data predates: say so, not "unknown".
        return NotFound(N_("County FIPS code %(fips)s (%(name)s) dates from %(since)s, later than the county "
                           "boundaries in use (Census %(vintage)s), so it cannot be located yet."),
                        params={"fips": exc.code, "name": exc.name, "since": exc.since, "vintage": exc.vintage},
                        fields={"county": N_("County code newer than the boundary data.")})
    return NotFound(N_("County FIPS code %(fips)s is not a known US county."), params={"fips": fips},
                    fields={"county": N_("Unknown county.")})


def locate(where: LocateIn) -> LocationOut:
    try:
        if where.zip is not None:
            try:
                return LocationOut.of(geo.locate_zip(where.zip))
            except geo.UnknownCode:
                raise NotFound(N_("ZIP code %(zip)s is not a known US ZIP code."), params={"zip": where.zip},
                               fields={"zip": N_("Unknown ZIP code.")}) from None
        if where.county is not None:
            try:
                return LocationOut.of(geo.locate_county(where.county))
            except geo.UnknownCode as exc:
                raise _unknown_county(where.county, exc) from None
        try:
            return LocationOut.of(geo.locate_point(where.lat, where.lon))
        except geo.NotFound:
            raise NotFound(N_("No US county contains the point %(lat)s, %(lon)s."),
                           params={"lat": where.lat, "lon": where.lon}) from None
    except geo.InvalidInput as exc:
        raise _invalid(exc) from None


def county_details(query: CountyIn) -> CountyOut:
    try:
        found = geo.county(query.fips)
    except geo.UnknownCode as exc:
        raise _unknown_county(query.fips, exc) from None
    geometry = None
    if query.with_geometry and found.geometry is not None:
        geometry = geo.to_geojson(found.geometry)
    return CountyOut(county_fips=found.fips, county=found.name, state=found.state, state_name=found.state_name,
                     population=found.population, neighbours=list(found.neighbours),
                     has_boundary=found.geometry is not None, geometry=geometry)


def coverage(shape: dict, *, min_fraction: float, actor: Principal) -> CoverageOut:
    """The counties a GeoJSON polygon covers, each with the share of its area inside."""
    permissions.require(actor, permissions.MAP_COVERAGE)
    try:
        parsed = geo.parse_geojson_polygon(shape)
        covered = geo.counties_covering(parsed.geometry, min_fraction=min_fraction)
    except geo.InvalidInput as exc:
        raise _invalid(exc) from None
    counties = []
    for fips, fraction in covered:
        found = geo.county(fips)
        counties.append(CoveredCountyOut(county_fips=fips, county=found.name, state=found.state,
                                         fraction=round(fraction, 4)))
    return CoverageOut(repaired=parsed.repaired, counties=counties)


def drawn_area(shape: dict) -> tuple[BaseGeometry, list[str]]:
    """A drawn GeoJSON area as (its checked and repaired geometry, the sorted county FIPS codes it covers by
    COVERED_SHARE). CPU-heavy for large shapes: the web runs it in a geometry worker."""
    try:
        parsed = geo.parse_geojson_polygon(shape)
        covered = geo.counties_covering(parsed.geometry, min_fraction=COVERED_SHARE)
    except geo.InvalidInput as exc:
        raise _invalid(exc) from None
    return parsed.geometry, sorted(fips for fips, _fraction in covered)
