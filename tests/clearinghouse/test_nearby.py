"""The place index answers every place a seeker can reach, so matching over it ranks as matching over all."""

from __future__ import annotations

import math
import random

import pytest

from clearinghouse import matching, nearby
from clearinghouse.matching import Place, Seeker
from clearinghouse.nearby import PlaceIndex
from geo.distance import EARTH_RADIUS_MILES, miles_between


def place(slug, lat, lon, radius=25.0, counties=()):
    return Place(slug=slug, lat=lat, lon=lon, radius_miles=radius, counties=frozenset(counties),
                 accepts=frozenset({"general_labor"}))


def seeker(lat, lon, county=None, travel=None):
    return Seeker(kind="volunteer", codes=("general_labor",), lat=lat, lon=lon, county=county, travel_miles=travel)


def point_at(lat, lon, miles, bearing_degrees):
    """The point `miles` from (lat, lon) along a bearing, on matching's sphere."""
    arc, bearing = miles / EARTH_RADIUS_MILES, math.radians(bearing_degrees)
    phi, lam = math.radians(lat), math.radians(lon)
    phi2 = math.asin(math.sin(phi) * math.cos(arc) + math.cos(phi) * math.sin(arc) * math.cos(bearing))
    lam2 = lam + math.atan2(math.sin(bearing) * math.sin(arc) * math.cos(phi),
                            math.cos(arc) - math.sin(phi) * math.sin(phi2))
    return math.degrees(phi2), (math.degrees(lam2) + 540) % 360 - 180


def test_far_places_are_left_out_and_near_ones_kept():
    houston, dallas = place("houston", 29.76, -95.37, 40), place("dallas", 32.78, -96.80, 40)
    index = PlaceIndex([houston, dallas])
    assert index.near(seeker(29.70, -95.40)) == (houston,)
    assert index.near(seeker(33.0, -96.7)) == (dallas,)


def test_a_place_is_near_anyone_in_its_counties_wherever_it_stands():
    far = place("far", 45.0, -120.0, 20, counties=["48201"])
    unplaced = place("unplaced", None, None, 20, counties=["48201"])
    index = PlaceIndex([far, unplaced])
    assert index.near(seeker(29.7, -95.4, county="48201")) == (far, unplaced)
    assert index.near(seeker(None, None, county="48201")) == (far, unplaced)
    assert index.near(seeker(29.7, -95.4, county="48113")) == ()


@pytest.mark.parametrize("lat, lon", [(29.76, -95.37), (51.9, 179.9), (51.9, -179.9), (71.3, -156.8), (-14.3, -170.7),
                                      (0.0, 0.0)])
def test_points_just_inside_the_radius_in_every_direction_are_near(lat, lon):
    here = place("here", lat, lon, 80)
    index = PlaceIndex([here])
    for bearing in range(0, 360, 5):
        at = point_at(lat, lon, 79.99, bearing)
        assert miles_between(*at, lat, lon) <= 80
        assert index.near(seeker(*at)) == (here,), (bearing, at)


def test_a_circle_over_a_pole_is_near_everywhere():
    polar = place("polar", 89.5, 0.0, 100)
    assert PlaceIndex([polar]).near(seeker(-40.0, 10.0)) == (polar,)


def test_matching_over_the_index_ranks_as_matching_over_every_place():
    rng = random.Random(7)
    counties = [f"48{n:03d}" for n in range(1, 40, 2)]
    places = []
    for n in range(120):
        lat, lon = (rng.uniform(25.0, 36.0), rng.uniform(-106.0, -93.0)) if rng.random() < 0.9 else (None, None)
        places.append(Place(slug=f"p{n:03d}", lat=lat, lon=lon, radius_miles=rng.choice([10, 25, 60, 150, 500]),
                            counties=frozenset(rng.sample(counties, rng.randint(0, 3))),
                            accepts=frozenset(rng.sample(["a", "b", "c", "d"], rng.randint(1, 3))),
                            needs={"a": rng.choice(["needed", "full", "not_needed"])}))
    index = PlaceIndex(places)
    for _ in range(3000):
        located = rng.random() < 0.9
        wanted = Seeker(kind="volunteer", codes=tuple(rng.sample(["a", "b", "c", "d"], rng.randint(1, 2))),
                        lat=rng.uniform(24.0, 37.0) if located else None,
                        lon=rng.uniform(-107.0, -92.0) if located else None,
                        county=rng.choice(counties + [None]), travel_miles=rng.choice([None, 10, 50, 400]))
        assert matching.candidates(wanted, index.near(wanted)) == matching.candidates(wanted, places)


def test_spots_remembered_are_bounded(monkeypatch):
    monkeypatch.setattr(nearby, "MAX_SPOTS", 10)
    index = PlaceIndex([place("here", 30.0, -95.0, 500)])
    for n in range(25):
        assert index.near(seeker(30.0 + n / 100, -95.0))
    assert len(index._near) <= 10
