"""An alert's footprint: the union of its polygons, circles and geocoded counties, and the counties it covers.

Polygons and circles go through the same rule as any drawn area (surge.locations.lookups.drawn_area), so an
alert and an incident drawn by hand over the same ground name the same counties.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

import geo
from surge.alerts import geocodes
from surge.alerts.cap import CIRCLE_POINTS, Alert
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_
from surge.locations import lookups

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG): a sphere is within 0.5% of the ellipsoid at these sizes


@dataclass(frozen=True)
class Footprint:
    geometry: BaseGeometry
    counties: list[str]  # sorted FIPS codes
    unresolved: list[str]  # geocodes that name no county we know


def disc(lon: float, lat: float, radius_km: float, points: int = CIRCLE_POINTS) -> list[tuple[float, float]]:
    """A closed ring of `points` positions, each `radius_km` along the great circle from the centre.

    Walking the sphere keeps the circle round on the ground: a buffer in degrees would be squeezed east-west
    by cos(latitude), some 25% at 40°N.
    """
    bearing = np.linspace(0.0, 2 * np.pi, points - 1, endpoint=False)
    angle = radius_km / EARTH_RADIUS_KM
    phi, lam = np.radians(lat), np.radians(lon)
    out_lat = np.arcsin(np.sin(phi) * np.cos(angle) + np.cos(phi) * np.sin(angle) * np.cos(bearing))
    out_lon = lam + np.arctan2(np.sin(bearing) * np.sin(angle) * np.cos(phi),
                               np.cos(angle) - np.sin(phi) * np.sin(out_lat))
    lons = (np.degrees(out_lon) + 180.0) % 360.0 - 180.0
    lats = np.clip(np.degrees(out_lat), -90.0, 90.0)
    ring = [(float(x), float(y)) for x, y in zip(lons, lats)]
    return ring + [ring[0]]


def _rings(alert: Alert) -> list[list[list[float]]]:
    """Every polygon and circle as a GeoJSON ring (lists of [lon, lat], as geo's GeoJSON reader takes them)."""
    rings = [polygon for area in alert.areas for polygon in area.polygons]
    rings += [disc(lon, lat, radius) for area in alert.areas for lon, lat, radius in area.circles]
    return [[[lon, lat] for lon, lat in ring] for ring in rings]


def footprint(alert: Alert) -> Footprint:
    """Raises ValidationFailed (422) when no part of the alert lies in a US county."""
    counties: set[str] = set()
    shapes: list[BaseGeometry] = []
    rings = _rings(alert)
    if rings:
        drawn, covered = lookups.drawn_area({"type": "MultiPolygon", "coordinates": [[ring] for ring in rings]})
        counties.update(covered)
        shapes.append(drawn)
    coded, unresolved = geocodes.resolve(code for area in alert.areas for code in area.geocodes)
    for fips in sorted(coded):
        outline = geo.county(fips).geometry
        if outline is not None:
            shapes.append(outline)
    counties |= coded
    if not counties:
        raise ValidationFailed(N_("No area of this alert lies in a US county: its polygons and circles cover none, "
                                  "and none of its geocodes names one."),
                               fields={"cap": N_("No US county.")})
    return Footprint(geometry=shapely.union_all(shapes), counties=sorted(counties), unresolved=unresolved)
