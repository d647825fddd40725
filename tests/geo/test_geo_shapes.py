import json

import pytest
import shapely

from geo import InvalidInput, parse_geojson_polygon, to_geojson

SQUARE = [[[-95.5, 29.6], [-95.2, 29.6], [-95.2, 29.9], [-95.5, 29.9], [-95.5, 29.6]]]
POLYGON = {"type": "Polygon", "coordinates": SQUARE}


def rejected(obj, **limits) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse_geojson_polygon(obj, **limits)
    assert caught.value.field == "geometry"
    return caught.value.message


def test_polygon_from_text_and_object():
    for source in (POLYGON, json.dumps(POLYGON), json.dumps(POLYGON).encode()):
        parsed = parse_geojson_polygon(source)
        assert parsed.geometry.geom_type == "Polygon"
        assert parsed.geometry.area == pytest.approx(0.09)
        assert parsed.repaired is False


def test_feature_multipolygon_and_collection():
    feature = {"type": "Feature", "properties": {}, "geometry": POLYGON}
    assert parse_geojson_polygon(feature).geometry.area == pytest.approx(0.09)
    far = [[[-90, 30], [-89, 30], [-89, 31], [-90, 30]]]
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE, far]}
    assert parse_geojson_polygon(multi).geometry.geom_type == "MultiPolygon"
    collection = {"type": "FeatureCollection", "features": [feature, {"type": "Feature", "properties": {}, "geometry": multi}]}
    parsed = parse_geojson_polygon(collection)
    assert parsed.repaired is True  # the overlapping features were merged
    assert parsed.geometry.area == pytest.approx(0.09 + 0.5)


def test_holes_are_kept():
    hole = [[-95.4, 29.7], [-95.3, 29.7], [-95.3, 29.8], [-95.4, 29.7]]
    parsed = parse_geojson_polygon({"type": "Polygon", "coordinates": SQUARE + [hole]})
    assert len(parsed.geometry.interiors) == 1


def test_bow_tie_is_repaired_into_two_triangles():
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    parsed = parse_geojson_polygon(bow_tie)
    assert parsed.repaired is True
    assert parsed.geometry.is_valid
    assert parsed.geometry.geom_type == "MultiPolygon"
    assert parsed.geometry.area == pytest.approx(0.5)


def test_malformed_json():
    assert "not valid JSON" in rejected('{"type": "Polygon", "coordinates": [')


@pytest.mark.parametrize("kind, coordinates", [("Point", [0, 0]), ("LineString", [[0, 0], [1, 1]]), ("MultiPoint", [[0, 0]])])
def test_not_a_polygon(kind, coordinates):
    assert f"not a {kind}" in rejected({"type": kind, "coordinates": coordinates})
    assert f"not a {kind}" in rejected({"type": "Feature", "geometry": {"type": kind, "coordinates": coordinates}})


@pytest.mark.parametrize(
    "empty",
    [
        {"type": "FeatureCollection", "features": []},
        {"type": "Feature", "geometry": None},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[]]},
        {"type": "Polygon"},
        {"type": "MultiPolygon", "coordinates": []},
    ],
)
def test_empty(empty):
    rejected(empty)


def test_not_geojson_at_all():
    assert "GeoJSON" in rejected([1, 2, 3])
    assert "GeoJSON" in rejected({"coordinates": SQUARE})


def test_too_many_vertices():
    assert "too many points" in rejected(POLYGON, max_vertices=4)
    parse_geojson_polygon(POLYGON, max_vertices=5)


def test_too_large():
    assert "too large" in rejected(json.dumps(POLYGON), max_bytes=50)
    assert "too large" in rejected(POLYGON, max_bytes=50)


@pytest.mark.parametrize("point", [[-200, 29.6], [-95.5, 91]])
def test_out_of_range(point):
    ring = [point, [-95.2, 29.6], [-95.2, 29.9], point]
    assert "off the map" in rejected({"type": "Polygon", "coordinates": [ring]})


@pytest.mark.parametrize("point", [["-95.5", 29.6], [None, 29.6], [True, 29.6], [-95.5], "x"])
def test_non_numeric(point):
    ring = [point, [-95.2, 29.6], [-95.2, 29.9], point]
    assert "not a point" in rejected({"type": "Polygon", "coordinates": [ring]})


def test_nan_in_text():
    assert "not a point" in rejected('{"type":"Polygon","coordinates":[[[NaN,0],[1,0],[1,1],[NaN,0]]]}')


def test_unclosed_ring():
    assert "not closed" in rejected({"type": "Polygon", "coordinates": [SQUARE[0][:-1] + [[-95.4, 29.6]]]})


def test_too_few_points():
    assert "at least 4" in rejected({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]})


def test_flat_shape_has_no_area():
    assert "no area" in rejected({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [2, 2], [0, 0]]]})


def test_to_geojson_round_trip():
    parsed = parse_geojson_polygon(POLYGON)
    data = to_geojson(parsed.geometry)
    assert data["type"] == "Polygon" and isinstance(data["coordinates"][0][0], list)
    assert shapely.equals(parse_geojson_polygon(data).geometry, parsed.geometry)


def test_deeply_nested_json():
    assert "nested" in rejected("[" * 100_000 + "]" * 100_000)
