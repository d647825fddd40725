import numpy as np
import pytest
import shapely
from shapely.geometry import box, shape

from geo import all_counties, parse_geojson_polygon
from geo.complexity import TooComplex, check_coverage_cost, check_repair_cost, rings_of
from geo.index import county_index
from geo.pieces import pieces
from tests.hostile_shapes import across_the_antimeridian, comb, hatching, overlapping_holes, star


def crossings(obj, **limits) -> int:
    return check_repair_cost(rings_of(shape(obj)), **limits)


@pytest.mark.parametrize("points, step", [(5, 2), (101, 50), (143, 3), (60, 7)])
def test_a_star_crosses_itself_points_times_step_less_one(points, step):
    assert crossings(star(points, step), max_crossings=10**6) == points * (step - 1)


def test_a_simple_outline_has_no_crossings_and_a_bow_tie_one():
    assert crossings({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}) == 0
    assert crossings({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}) == 1


def test_repeated_points_are_not_crossings():
    assert crossings({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0], [0, 0]]]}) == 0


@pytest.mark.parametrize("obj, kind", [(star(301, 150), "crossings"), (overlapping_holes(), "crossings"),
                                       (hatching(), "crowded")])
def test_costly_repairs_are_refused_before_repairing(obj, kind):
    with pytest.raises(TooComplex) as caught:
        parse_geojson_polygon(obj)
    assert caught.value.kind == kind and caught.value.field == "geometry"
    assert "too complex" in caught.value.message


def test_too_many_points_is_too_complex():
    with pytest.raises(TooComplex) as caught:
        parse_geojson_polygon(star(5, 2), max_vertices=4)
    assert caught.value.kind == "points"


def test_a_star_under_the_cap_is_repaired():
    parsed = parse_geojson_polygon(star(101, 50))
    assert parsed.repaired and parsed.geometry.is_valid and parsed.geometry.area > 0


def test_a_pentagram_keeps_the_pentagon_in_its_middle():
    outline = shape(star(5, 2))
    every_face = shapely.union_all(shapely.get_parts(shapely.polygonize([shapely.node(outline.exterior)])))
    parsed = parse_geojson_polygon(star(5, 2))
    assert parsed.geometry.area == pytest.approx(every_face.area)  # everything the outline encloses
    assert parsed.geometry.contains(shapely.Point(-95.4, 29.8))


def test_a_comb_across_the_country_is_too_costly_to_measure():
    with pytest.raises(TooComplex) as caught:
        check_coverage_cost(rings_of(shape(comb())), county_index().tree)
    assert caught.value.kind == "counties"
    assert check_coverage_cost(rings_of(box(-96, 29, -95, 30)), county_index().tree) < 100


def test_pieces_cover_the_area_exactly_and_stay_small():
    area = parse_geojson_polygon(comb(2000, -100, -95, 29, 33)).geometry
    cut = pieces(area, max_vertices=64)
    assert len(cut) > 10
    assert all(shapely.get_num_coordinates(p) <= 64 for p in cut)
    assert np.sum(shapely.area(cut)) == pytest.approx(area.area)
    assert shapely.union_all(cut).symmetric_difference(area).area == pytest.approx(0, abs=1e-9)


def test_a_polygon_across_the_antimeridian_stays_small():
    parsed = parse_geojson_polygon(across_the_antimeridian())
    assert parsed.geometry.area == pytest.approx(20 * 5)  # not the 340 degrees the other way round
    assert {round(x) for x in shapely.bounds(list(parsed.geometry.geoms))[:, [0, 2]].ravel()} == {170, 180, -180, -170}


def test_a_detailed_outline_of_a_state_is_cheap_to_measure():
    kentucky = shapely.union_all([c.geometry for c in all_counties() if c.state == "KY" and c.geometry is not None])
    detailed = shapely.segmentize(kentucky, shapely.length(kentucky) / 9_000)
    assert shapely.get_num_coordinates(detailed) > 9_000
    assert check_coverage_cost(rings_of(detailed), county_index().tree) < 10_000
