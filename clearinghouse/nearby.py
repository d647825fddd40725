"""The places a seeker could reach, found without testing every place: an index by county and by map cell.

Matching tests every place it is given; against hundreds of clearinghouses most of that work is spent on places
hundreds of miles away. `PlaceIndex.near(seeker)` hands it only the places that could pass its reach test: those
whose service area lists the seeker's county, and those whose radius circle holds the seeker's point (found
among the few listed in the point's map cell). Matching's own test, with the seeker's travel distance, stays the
judge: matching over `near(seeker)` ranks exactly as matching over every place does.

Pure, like `matching`: built once per set of places and kept beside them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from clearinghouse.matching import Place, Seeker
from geo.distance import EARTH_RADIUS_MILES, miles_between

CELL_DEGREES = 0.5  # about 35 miles north to south: a place's circle of 20 to 80 miles spans a few cells
LON_CELLS = int(360 / CELL_DEGREES)
MAX_CELLS = 20_000  # a circle whose box is wider than this is listed as near everywhere
# Seekers' spots remembered per index, beyond which it starts afresh: spots are ZIP centroids, and a state has
# under 2,000; the bound keeps a process holding many incidents' indexes to a few megabytes each.
MAX_SPOTS = 10_000


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEGREES), math.floor(lon / CELL_DEGREES) % LON_CELLS


def _cells_around(lat: float, lon: float, radius_miles: float) -> list[tuple[int, int]] | None:
    """Every cell of the box around a circle; None when that box is too large to list (a pole within reach).

    The box is exact for the haversine matching measures with: a point d miles away lies within d / R radians
    of latitude, and, between latitudes no further from the equator than `widest`, within
    2 asin(sin(d / 2R) / cos(widest)) of longitude. A hair is added for rounding."""
    reach = (radius_miles * 1.001 + 0.01) / EARTH_RADIUS_MILES  # radians of arc
    half_lat = math.degrees(reach)
    south, north = lat - half_lat, lat + half_lat
    widest = min(max(abs(south), abs(north)), 90.0)
    ratio = math.sin(min(reach, math.pi) / 2) / max(math.cos(math.radians(widest)), 1e-12)
    if ratio >= 1.0:
        return None  # the circle reaches a pole, or round the world: every longitude
    half_lon = math.degrees(2 * math.asin(ratio))
    rows = range(math.floor(south / CELL_DEGREES), math.floor(north / CELL_DEGREES) + 1)
    # Columns wrap at the antimeridian (the Aleutians, Guam's neighbours): cell numbers are taken modulo the circle.
    columns = {n % LON_CELLS for n in range(math.floor((lon - half_lon) / CELL_DEGREES),
                                            math.floor((lon + half_lon) / CELL_DEGREES) + 1)}
    if len(rows) * len(columns) > MAX_CELLS:
        return None
    return [(row, column) for row in rows for column in columns]


class PlaceIndex:
    """Places by county and by map cell."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.places = tuple(places)
        by_county: defaultdict[str, set[int]] = defaultdict(set)
        by_cell: defaultdict[tuple[int, int], set[int]] = defaultdict(set)
        everywhere: set[int] = set()
        for n, place in enumerate(self.places):
            for county in place.counties:
                by_county[county].add(n)
            if place.lat is None or place.lon is None:
                continue  # reached by its counties alone: matching measures no distance to it
            cells = _cells_around(place.lat, place.lon, place.radius_miles)
            if cells is None:
                everywhere.add(n)
            else:
                for cell in cells:
                    by_cell[cell].add(n)
        self._by_county = {county: frozenset(found) for county, found in by_county.items()}
        self._by_cell = {cell: frozenset(found) for cell, found in by_cell.items()}
        self._everywhere = frozenset(everywhere)
        self._near: dict[tuple, tuple[Place, ...]] = {}

    def near(self, seeker: Seeker) -> tuple[Place, ...]:
        """The places the seeker may reach, in the order they were given; the same tuple for the same spot."""
        return self.around(seeker.county, seeker.lat, seeker.lon)

    def around(self, county: str | None, lat: float | None, lon: float | None) -> tuple[Place, ...]:
        """`near` for a seeker at this spot, before any seeker is made."""
        key = (county, lat, lon)
        found = self._near.get(key)
        if found is None:
            found = self._reachable(county, lat, lon)
            if len(self._near) >= MAX_SPOTS:
                self._near.clear()
            # Seekers come from ZIP centroids, so an incident's are a few thousand spots: each is worked out once.
            self._near[key] = found
        return found

    def _reachable(self, county: str | None, lat: float | None, lon: float | None) -> tuple[Place, ...]:
        chosen = set(self._everywhere)
        if lat is not None and lon is not None:
            # The cells only narrow the search: a place is kept when its circle holds the spot itself.
            for n in self._by_cell.get(_cell(lat, lon), ()):
                place = self.places[n]
                if miles_between(lat, lon, place.lat, place.lon) <= place.radius_miles:
                    chosen.add(n)
        if county is not None:
            chosen |= self._by_county.get(county, frozenset())
        return tuple(self.places[n] for n in sorted(chosen))
