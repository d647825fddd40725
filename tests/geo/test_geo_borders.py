"""Points on and near county borders, on the 1:500k boundaries.

The rule (geo.index): a point belongs to every county whose closed outline
holds it; on a shared border or vertex the lowest FIPS code wins.
"""

import numpy as np
import pytest
import shapely

from geo import counties_at, county_at, locate_point, locate_zip
from geo.index import point_index
from geo.overlaps import overlapping_pairs
from geo.zips import shares_by_zip


@pytest.fixture(scope="module")
def polygons():
    """Unprepared private copies, in the index's (ascending FIPS) order."""
    index = point_index()
    return index.fips, shapely.from_wkb(shapely.to_wkb(index.geoms))


def _keys(xy: np.ndarray) -> np.ndarray:
    """One integer per coordinate pair (coordinates are whole millionths of a degree)."""
    units = np.round((xy + (180.0, 90.0)) * 1e6).astype(np.int64)
    return units[:, 0] << 28 | units[:, 1]


@pytest.fixture(scope="module")
def outline_edges(polygons):
    """(start, end, county index) of every edge of every outline."""
    _, geoms = polygons
    parts, part_county = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    xy, vertex_ring = shapely.get_coordinates(rings, return_index=True)
    county = part_county[ring_part[vertex_ring]]
    same_ring = vertex_ring[:-1] == vertex_ring[1:]
    return xy[:-1][same_ring], xy[1:][same_ring], county[:-1][same_ring]


def _shared(keys: np.ndarray, county: np.ndarray) -> np.ndarray:
    """Positions of one occurrence of each key that two or more counties have."""
    distinct, where = np.unique(keys, return_index=True)
    order = np.lexsort((county, keys))
    k, c = keys[order], county[order]
    new_pair = np.concatenate([[True], (k[1:] != k[:-1]) | (c[1:] != c[:-1])])
    found, count = np.unique(k[new_pair], return_counts=True)
    return where[np.isin(distinct, found[count >= 2], assume_unique=True)]


def expected_by_rule(points_xy: np.ndarray, polygons) -> list[str | None]:
    """Lowest FIPS code among the counties that intersect each point, by brute force."""
    fips, geoms = polygons
    tree = shapely.STRtree(shapely.points(points_xy))
    geoms = shapely.from_wkb(shapely.to_wkb(geoms))
    shapely.prepare(geoms)
    county, point = tree.query(geoms, predicate="intersects")
    lowest = np.full(len(points_xy), len(fips))
    np.minimum.at(lowest, point, county)
    return [fips[i] if i < len(fips) else None for i in lowest]


def test_every_shared_vertex_resolves_to_the_lowest_fips(outline_edges, polygons):
    start, _, county = outline_edges
    xy = start[_shared(_keys(start), county)]
    assert len(xy) > 300_000
    got = counties_at(xy[:, 1], xy[:, 0]).tolist()
    assert None not in got
    assert got == expected_by_rule(xy, polygons)


def test_every_shared_segment_midpoint_resolves_to_the_lowest_fips(outline_edges, polygons):
    start, end, county = outline_edges
    lo, hi = np.minimum(_keys(start), _keys(end)), np.maximum(_keys(start), _keys(end))
    # Keys are below 2**57; this mix wraps, but collisions between distinct
    # segments are vanishingly unlikely and would only make the test stricter.
    segment = lo * 1_000_003 + hi
    shared = _shared(segment, county)
    mid = (start[shared] + end[shared]) / 2
    assert len(mid) > 300_000
    got = counties_at(mid[:, 1], mid[:, 0]).tolist()
    assert None not in got
    assert got == expected_by_rule(mid, polygons)


def test_scalar_lookup_follows_the_same_rule(outline_edges, polygons):
    start, _, county = outline_edges
    xy = start[_shared(_keys(start), county)][::97]
    assert [county_at(lat, lon) for lon, lat in xy.tolist()] == expected_by_rule(xy, polygons)


def test_four_corners_goes_to_the_lowest_of_four():
    # Apache AZ 04001, Montezuma CO 08083, San Juan NM 35045, San Juan UT 49037 meet at one vertex.
    fips, geoms = point_index().fips, point_index().geoms
    four = [geoms[fips.index(f)] for f in ("04001", "08083", "35045", "49037")]
    corner = shapely.intersection_all(four)
    assert corner.geom_type == "Point"
    assert county_at(corner.y, corner.x) == "04001"


def test_falls_church_and_manassas_park_are_found_by_point():
    # Both are independent cities too small for the 1:10M outlines.
    centre = locate_zip("22046")
    assert locate_point(centre.lat, centre.lon).county_fips == "51610"
    assert county_at(38.8823, -77.1711) == "51610"  # Falls Church city hall
    assert county_at(38.7713, -77.4497) == "51685"  # Manassas Park
    assert county_at(38.7509, -77.4753) == "51683"  # Manassas, next door
    assert county_at(38.8462, -77.3064) == "51600"  # Fairfax city, inside Fairfax County


def test_morehouse_ouachita_richland_points():
    assert county_at(32.77, -91.90) == "22067"  # Morehouse
    assert county_at(32.51, -92.12) == "22073"  # Monroe, Ouachita
    assert county_at(32.42, -91.76) == "22083"  # Rayville, Richland


def test_no_two_counties_share_area(polygons):
    assert overlapping_pairs(polygons[1]) == []


def test_every_crosswalk_county_has_a_boundary():
    # The index and the HUD crosswalk speak the same codes (after its two renamed ones).
    fips = set(point_index().fips)
    crosswalk = {share.county_fips for shares in shares_by_zip().values() for share in shares}
    assert crosswalk <= fips
    assert len(fips - crosswalk) < 10  # territories the crosswalk leaves out
