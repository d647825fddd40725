"""geo.distance agrees with geopy's great_circle, on the same sphere."""

from __future__ import annotations

import random

import pytest
from geopy.distance import great_circle

from geo.distance import miles_between


def test_agrees_with_geopy_great_circle_to_under_a_foot():
    rng = random.Random(211)
    for _ in range(2000):
        a = (rng.uniform(18, 65), rng.uniform(-170, -65))
        b = (rng.uniform(18, 65), rng.uniform(-170, -65))
        assert miles_between(*a, *b) == pytest.approx(great_circle(a, b).miles, abs=1 / 5280)


def test_zero_short_and_symmetric():
    assert miles_between(29.76, -95.37, 29.76, -95.37) == 0.0
    short = miles_between(29.76, -95.37, 29.7601, -95.37)
    assert short == pytest.approx(great_circle((29.76, -95.37), (29.7601, -95.37)).miles, rel=1e-6)
    assert miles_between(29.76, -95.37, 40.71, -74.0) == miles_between(40.71, -74.0, 29.76, -95.37)


def test_across_the_antimeridian():
    assert miles_between(52.0, 179.9, 52.0, -179.9) == pytest.approx(great_circle((52, 179.9), (52, -179.9)).miles)
