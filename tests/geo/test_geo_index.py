import math

import numpy as np
import pytest
import shapely

from geo import InvalidInput, counties_at, county_at
from geo.index import point_index
from geo.zips import centroids_by_zip


@pytest.fixture(scope="module")
def centroids():
    lat, lon = np.array(list(centroids_by_zip().values())).T
    return lat, lon


@pytest.fixture(scope="module")
def exact():
    """Unprepared private copies of the 1:500k polygons, in FIPS order."""
    index = point_index()
    return index.fips, shapely.from_wkb(shapely.to_wkb(index.geoms))


def naive(lats, lons, exact):
    """Reference answer: test every county polygon in FIPS order; a point on an edge counts as in."""
    fips, geoms = exact
    answer = [None] * len(lats)
    points = shapely.points(lons, lats)
    for code, geom in zip(fips, geoms):
        min_lon, min_lat, max_lon, max_lat = geom.bounds
        near = np.flatnonzero((lons >= min_lon) & (lons <= max_lon) & (lats >= min_lat) & (lats <= max_lat))
        for i in near[shapely.intersects(geom, points[near])]:
            if answer[i] is None:
                answer[i] = code
    return answer


def assert_matches_naive(lats, lons, exact):
    assert counties_at(lats, lons).tolist() == naive(lats, lons, exact)


def test_known_points():
    assert county_at(29.76, -95.37) == "48201"  # Houston
    assert county_at(25.77, -80.19) == "12086"  # Miami
    assert county_at(51.88, -176.65) == "02016"  # Adak, west of most of Alaska
    assert county_at(52.93, 173.2) == "02016"  # Attu, across the 180th meridian
    assert county_at(13.47, 144.75) == "66010"  # Guam
    assert county_at(-14.28, -170.7) == "60010"  # American Samoa, south of the equator


def test_outside_every_county():
    assert county_at(25.0, -70.0) is None  # Atlantic
    assert county_at(0.0, 0.0) is None
    assert county_at(90.0, 180.0) is None
    assert county_at(-90.0, -180.0) is None


def test_agrees_with_naive_loop_on_zcta_centroids(centroids, exact):
    lat, lon = centroids
    sample = np.random.default_rng(211).choice(lat.size, 3000, replace=False)
    assert_matches_naive(lat[sample], lon[sample], exact)


def test_agrees_with_naive_loop_on_random_points(exact):
    rng = np.random.default_rng(7)
    lat = rng.uniform(24.0, 50.0, 2000)  # lower 48, with coasts, lakes and sea
    lon = rng.uniform(-125.0, -66.0, 2000)
    assert_matches_naive(lat, lon, exact)


def test_agrees_with_naive_loop_near_borders(exact):
    # Vertices of county outlines, nudged a hair: the hardest cells to get right.
    rng = np.random.default_rng(3)
    xy = shapely.get_coordinates(exact[1])
    xy = xy[rng.choice(len(xy), 2000, replace=False)] + rng.normal(0, 1e-4, (2000, 2))
    assert_matches_naive(xy[:, 1], xy[:, 0], exact)


def test_vectorised_equals_scalar(centroids):
    lat, lon = centroids
    bulk = counties_at(lat, lon)
    assert bulk.shape == lat.shape
    assert list(bulk) == [county_at(a, b) for a, b in zip(lat.tolist(), lon.tolist())]
    assert sum(f is None for f in bulk) < 40  # a few centroids sit just off the shoreline (28 in 2016)


def test_vectorised_keeps_shape_and_accepts_lists():
    result = counties_at([[29.76, 25.0]], [[-95.37, -70.0]])
    assert result.shape == (1, 2)
    assert result.tolist() == [["48201", None]]
    assert counties_at([], []).shape == (0,)


@pytest.mark.parametrize(
    "lat, lon, field",
    [(91, 0, "lat"), (-90.5, 0, "lat"), (0, 180.01, "lon"), (0, -181, "lon"),
     (math.nan, 0, "lat"), (0, math.inf, "lon"), ("29.7", -95.3, "lat"), (True, 0, "lat"), (0, None, "lon")],
)
def test_invalid_coordinates(lat, lon, field):
    with pytest.raises(InvalidInput) as caught:
        county_at(lat, lon)
    assert caught.value.field == field


@pytest.mark.parametrize("lats, lons, field", [([0, 95], [0, 0], "lat"), ([0, 0], [0, np.nan], "lon"), ([0], [0, 1], "lon")])
def test_invalid_coordinate_arrays(lats, lons, field):
    with pytest.raises(InvalidInput) as caught:
        counties_at(np.array(lats, dtype=float), np.array(lons, dtype=float))
    assert caught.value.field == field


def test_concurrent_lookups_agree(centroids):
    from concurrent.futures import ThreadPoolExecutor

    lat, lon = centroids
    expected = counties_at(lat, lon)
    chunks = np.array_split(np.arange(lat.size), 8)
    with ThreadPoolExecutor(4) as pool:
        scalar = pool.map(lambda idx: [county_at(a, b) for a, b in zip(lat[idx].tolist(), lon[idx].tolist())], chunks)
        bulk = pool.map(lambda idx: counties_at(lat[idx], lon[idx]), chunks)
        assert sum(scalar, []) == list(expected)
        assert np.concatenate(list(bulk)).tolist() == expected.tolist()


def test_county_shapes_stay_unprepared():
    from geo import all_counties

    county_at(29.76, -95.37)
    assert not any(shapely.is_prepared(c.geometry) for c in all_counties() if c.geometry is not None)
