"""Geography as Surge speaks it: geo's answers and errors turned into translatable API errors."""

from __future__ import annotations

import threading

import geo
from surge.errors import ApiError, NotFound, ValidationFailed
from surge.i18n import N_

INVALID_FIELD_MESSAGES = {
    "zip": N_("Enter a 5-digit ZIP code, like 77002 or 77002-1234."),
    "county": N_("Enter a 5-digit county FIPS code, like 48201."),
    "lat": N_("Latitude must be a number from -90 to 90."),
    "lon": N_("Longitude must be a number from -180 to 180."),
}


_warm = threading.Event()


def warm_up() -> None:
    """Load the boundaries, index and ZIP table now, so the first caller does not wait seconds."""
    geo.locate_zip("77002")
    geo.locate_point(29.76, -95.37)
    _warm.set()


def is_warm() -> bool:
    return _warm.is_set()


def _invalid(exc: geo.InvalidInput) -> ApiError:
    if exc.field in INVALID_FIELD_MESSAGES:
        message = INVALID_FIELD_MESSAGES[exc.field]
        return ValidationFailed(N_("Some of the information given is not valid."), fields={exc.field: message})
    # Shape problems vary too much for fixed wording: the geometry's own reason is passed along.
    return ValidationFailed(N_("The shape cannot be used: %(reason)s"), params={"reason": exc.message},
                            fields={exc.field: exc.message})


def _coordinate(raw: str | float, field: str) -> float:
    try:
        return float(raw)
    except (TypeError, ValueError):
        raise _invalid(geo.InvalidInput(field, "not a number")) from None


def locate(*, zip: str | None = None, county: str | None = None, lat=None, lon=None) -> geo.Location:
    """Exactly one of a ZIP code, a county FIPS code, or a latitude and longitude."""
    given = [name for name, value in (("zip", zip), ("county", county), ("lat", lat), ("lon", lon)) if value is not None]
    kinds = {"point" if name in ("lat", "lon") else name for name in given}
    half_a_point = ("lat" in given) != ("lon" in given)
    if len(kinds) != 1 or half_a_point:
        raise ValidationFailed(
            N_("Give exactly one of: a ZIP code (zip), a county FIPS code (county), or lat and lon together."),
            fields={name: N_("Give exactly one kind of location.") for name in (given or ["zip"])},
        )
    try:
        if zip is not None:
            try:
                return geo.locate_zip(zip)
            except geo.UnknownCode:
                raise NotFound(N_("ZIP code %(zip)s is not a known US ZIP code."), params={"zip": zip.strip()[:10]},
                               fields={"zip": N_("Unknown ZIP code.")}) from None
        if county is not None:
            try:
                return geo.locate_county(county)
            except geo.UnknownCode:
                raise NotFound(N_("County FIPS code %(fips)s is not a known US county."),
                               params={"fips": county.strip()[:10]}, fields={"county": N_("Unknown county.")}) from None
        latitude, longitude = _coordinate(lat, "lat"), _coordinate(lon, "lon")
        try:
            return geo.locate_point(latitude, longitude)
        except geo.NotFound:
            raise NotFound(N_("No US county contains the point %(lat)s, %(lon)s."),
                           params={"lat": latitude, "lon": longitude}) from None
    except geo.InvalidInput as exc:
        raise _invalid(exc) from None


def county_details(fips: str, *, with_geometry: bool = False) -> dict:
    try:
        found = geo.county(fips)
    except geo.InvalidInput as exc:
        raise _invalid(exc) from None
    except geo.UnknownCode:
        raise NotFound(N_("County FIPS code %(fips)s is not a known US county."), params={"fips": fips[:10]}) from None
    details = {
        "county_fips": found.fips,
        "county": found.name,
        "state": found.state,
        "state_name": found.state_name,
        "population": found.population,
        "neighbours": list(found.neighbours),
        "has_boundary": found.geometry is not None,
    }
    if with_geometry:
        details["geometry"] = geo.to_geojson(found.geometry) if found.geometry is not None else None
    return details


def coverage(shape, *, min_fraction: float = 0.01) -> dict:
    """The counties a GeoJSON polygon covers, each with the share of its area inside."""
    try:
        parsed = geo.parse_geojson_polygon(shape)
        covered = geo.counties_covering(parsed.geometry, min_fraction=min_fraction)
    except geo.InvalidInput as exc:
        raise _invalid(exc) from None
    counties = []
    for fips, fraction in covered:
        found = geo.county(fips)
        counties.append({"county_fips": fips, "county": found.name, "state": found.state,
                         "fraction": round(fraction, 4)})
    return {"repaired": parsed.repaired, "counties": counties}
