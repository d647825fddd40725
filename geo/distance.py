"""Great-circle distance in miles, on the same sphere as geopy's `great_circle`.

A haversine in plain `math`, not geopy: `great_circle(a, b).miles` builds two `Point`s and a
`Distance` per pair, about 15 times the cost of this function, which would dominate the matcher.
Not a numpy haversine either: the matcher measures only the places that pass its cheap tests
(about 14 of 50 in bench/matching.py), and numpy's fixed cost on a 50-point array is about that
of 11 scalar calls, before any indexing. Over short and continental distances this agrees with
geopy to well under a foot (tests/geo/test_geo_distance.py); near antipodes the haversine loses
precision, which no service-area radius comes close to.
"""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt

from geopy.distance import EARTH_RADIUS  # kilometres, geopy's mean radius

EARTH_RADIUS_MILES = EARTH_RADIUS / 1.609344


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance between two points given in degrees."""
    phi1, phi2 = radians(lat1), radians(lat2)
    half_dlat = (phi2 - phi1) / 2
    half_dlon = radians(lon2 - lon1) / 2
    h = sin(half_dlat) ** 2 + cos(phi1) * cos(phi2) * sin(half_dlon) ** 2
    return 2 * EARTH_RADIUS_MILES * asin(min(1.0, sqrt(h)))
