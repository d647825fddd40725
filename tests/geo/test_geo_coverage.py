import pytest
import shapely
from shapely.geometry import Point, box

from geo import InvalidInput, counties_covering, county


def test_box_around_houston_covers_harris():
    found = dict(counties_covering(box(-96.0, 29.3, -94.8, 30.3)))
    assert found["48201"] == pytest.approx(1.0)
    assert {"48157", "48339", "48039"} <= set(found)  # Fort Bend, Montgomery, Brazoria


def test_tiny_polygon_inside_a_county_returns_that_county():
    found = counties_covering(Point(-95.37, 29.76).buffer(0.001))
    assert [fips for fips, _ in found] == ["48201"]
    assert 0 < found[0][1] < 0.01


def test_sliver_below_threshold_is_left_out():
    harris = county("48201")
    area = harris.geometry.buffer(0.003)  # spills a thin edge into every neighbour
    sliver = {n: shapely.intersection(county(n).geometry, area).area / county(n).geometry.area for n in harris.neighbours}
    assert 0.009 < sliver["48339"] < 0.01 < sliver["48473"]  # Montgomery just under, Waller just over
    found = dict(counties_covering(area))
    assert set(found) == {"48201", "48473"}
    assert found["48201"] == pytest.approx(1.0)
    assert set(harris.neighbours) <= set(dict(counties_covering(area, min_fraction=0)))


def test_result_is_sorted_and_fractions_are_bounded():
    found = counties_covering(box(-100, 30, -95, 33))
    fractions = [f for _, f in found]
    assert fractions == sorted(fractions, reverse=True)
    assert all(0.01 <= f <= 1.0 for f in fractions)


def test_nothing_at_sea():
    assert counties_covering(box(-60, 30, -59, 31)) == []


def test_invalid_polygon_is_repaired_before_use():
    bow_tie = shapely.Polygon([(-95.5, 29.6), (-95.2, 29.9), (-95.2, 29.6), (-95.5, 29.9)])
    assert not bow_tie.is_valid
    assert counties_covering(bow_tie)[0][0] == "48201"


def test_rejects_non_shapes():
    with pytest.raises(InvalidInput):
        counties_covering({"type": "Polygon"})


def test_small_area_across_a_border_counts_where_most_of_it_lies():
    harris, fort_bend = county("48201").geometry, county("48157").geometry
    border = shapely.intersection(harris.boundary, fort_bend.boundary)
    x, y = shapely.get_coordinates(border)[len(shapely.get_coordinates(border)) // 2]
    tiny = Point(x, y).buffer(0.002)
    found = {fips for fips, _ in counties_covering(tiny)}
    assert found and found <= {"48201", "48157"}
    assert {fips for fips, _ in counties_covering(tiny, min_share=0.01)} == {"48201", "48157"}


def test_mostly_in_a_vast_county():
    # A circle on the San Bernardino / Riverside line, shifted north into
    # San Bernardino: under 1% of either county, but mostly San Bernardino's.
    san_bernardino, riverside = county("06071").geometry, county("06065").geometry
    border = shapely.get_coordinates(shapely.intersection(san_bernardino.boundary, riverside.boundary))
    x, y = border[len(border) // 2]
    circle = Point(x, y + 0.04).buffer(0.1)
    share = {fips: shapely.intersection(county(fips).geometry, circle).area for fips in ("06071", "06065")}
    assert share["06071"] / circle.area > 0.5 > share["06065"] / circle.area
    assert all(share[f] / county(f).geometry.area < 0.01 for f in share)
    assert [fips for fips, _ in counties_covering(circle)] == ["06071"]


def test_caller_shape_is_left_unprepared():
    area = box(-96.0, 29.3, -94.8, 30.3)
    counties_covering(area)
    assert not shapely.is_prepared(area)
