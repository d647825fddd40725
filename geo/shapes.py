"""Checking area shapes that people upload or draw, before anything uses them.

Coordinates are checked by hand rather than left to shapely, so that every
rejection comes with a sentence a dispatcher can act on.
"""

import json
import math
from dataclasses import dataclass

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from .antimeridian import crosses_antimeridian, split_at_antimeridian
from .complexity import check_repair_cost, rings_of, too_many_points
from .errors import InvalidInput
from .polygonal import polygonal_part

_POLYGON_TYPES = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class ParsedShape:
    geometry: Polygon | MultiPolygon
    repaired: bool  # True when self-intersections or overlaps were fixed


def _reject(message: str) -> InvalidInput:
    return InvalidInput("geometry", message)


def parse_geojson_polygon(obj_or_text, *, max_vertices: int = 10_000, max_bytes: int = 1_000_000) -> ParsedShape:
    """A polygon or multipolygon from GeoJSON text or an already parsed object.

    Accepts a Polygon, a MultiPolygon, or a Feature or FeatureCollection of
    those (a collection becomes the union of its features). Raises
    InvalidInput(field="geometry") with a plain explanation otherwise, and
    its subclass TooComplex for a shape that would cost too much to repair.
    """
    obj = _load(obj_or_text, max_bytes)
    geometries = _geometries(obj)
    if not geometries:
        raise _reject("The shape is empty: it contains no polygon.")
    polygons = []
    budget = [max_vertices]
    for geometry in geometries:
        coordinates = geometry.get("coordinates")
        rings_list = [coordinates] if geometry["type"] == "Polygon" else coordinates
        if not isinstance(rings_list, list) or not rings_list:
            raise _reject(f"The {geometry['type']} has no coordinates.")
        for rings in rings_list:
            polygons.extend(shapely.get_parts(_polygon(rings, budget, max_vertices)))
    shape = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    if shape.is_valid:
        return ParsedShape(shape, repaired=False)
    # Repair costs grow with the crossings, not the points: count them first.
    check_repair_cost([ring for polygon in polygons for ring in rings_of(polygon)])
    # Repair each piece (a bow-tie splits into two triangles; everything a
    # crossing outline encloses is kept), then merge overlapping pieces. The
    # "structure" method is orders of magnitude faster than the default on
    # outlines that cross themselves often.
    repaired = (polygonal_part(shapely.make_valid(q, method="structure", keep_collapsed=False)) for q in polygons)
    fixed = shapely.union_all([p for p in repaired if p is not None])
    fixed = polygonal_part(fixed)
    if fixed is None:
        raise _reject("The shape has no area: its outline crosses or folds onto itself so that nothing is enclosed.")
    return ParsedShape(fixed, repaired=True)


def to_geojson(geom: BaseGeometry) -> dict:
    """A GeoJSON geometry object (plain lists, ready for json.dumps)."""
    return json.loads(shapely.to_geojson(geom))


def _load(obj_or_text, max_bytes: int):
    if isinstance(obj_or_text, (str, bytes, bytearray)):
        size = len(obj_or_text.encode("utf-8") if isinstance(obj_or_text, str) else obj_or_text)
        _check_size(size, max_bytes)
        try:
            return json.loads(obj_or_text)
        except (ValueError, UnicodeDecodeError) as error:
            raise _reject(f"The shape is not valid JSON ({error}).") from None
        except RecursionError:
            raise _reject("The shape is not valid GeoJSON: it is nested far too deeply.") from None
    try:
        text = json.dumps(obj_or_text, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        raise _reject("The shape is not valid GeoJSON: it contains values that are not plain JSON.") from None
    _check_size(len(text.encode("utf-8")), max_bytes)
    return obj_or_text


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise _reject(f"The shape is too large: {size:,} bytes, and the limit is {max_bytes:,} bytes.")


def _geometries(obj) -> list[dict]:
    """The polygon geometries inside a geometry, Feature or FeatureCollection."""
    if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
        raise _reject("The shape is not GeoJSON: expected an object with a \"type\".")
    kind = obj["type"]
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            raise _reject("The FeatureCollection has no list of features.")
        return [g for feature in features for g in _feature_geometry(feature)]
    if kind == "Feature":
        return _feature_geometry(obj)
    if kind in _POLYGON_TYPES:
        return [obj]
    raise _reject(f"The shape must be a Polygon or MultiPolygon, not a {kind}.")


def _feature_geometry(feature) -> list[dict]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _reject("The FeatureCollection contains something that is not a Feature.")
    geometry = feature.get("geometry")
    if geometry is None:
        return []
    if not isinstance(geometry, dict) or geometry.get("type") not in _POLYGON_TYPES:
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise _reject(f"The shape must be a Polygon or MultiPolygon, not a {kind}.")
    return [geometry]


def _polygon(rings, budget: list[int], max_vertices: int) -> Polygon | MultiPolygon:
    if not isinstance(rings, list) or not rings:
        raise _reject("A polygon in the shape has no coordinates.")
    checked = [_ring(ring, budget, max_vertices) for ring in rings]
    if crosses_antimeridian(checked):
        return split_at_antimeridian(checked)
    return Polygon(checked[0], checked[1:])


def _ring(ring, budget: list[int], max_vertices: int) -> list[tuple[float, float]]:
    if not isinstance(ring, list) or not ring:
        raise _reject("A polygon ring in the shape has no points.")
    budget[0] -= len(ring)
    if budget[0] < 0:
        raise too_many_points(max_vertices)
    points = [_position(p) for p in ring]
    if len(points) < 4:
        raise _reject(f"A polygon ring needs at least 4 points (the last repeating the first), but one has {len(points)}.")
    if points[0] != points[-1]:
        raise _reject(f"A polygon ring is not closed: it starts at {_show(points[0])} but ends at {_show(points[-1])}.")
    return points


def _position(position) -> tuple[float, float]:
    if not isinstance(position, list) or len(position) < 2:
        raise _reject(f"{_brief(position)} is not a point: expected [longitude, latitude].")
    lon, lat = position[0], position[1]
    for value in (lon, lat):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise _reject(f"{_brief(position)} is not a point: the coordinates must be numbers.")
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        raise _reject(
            f"The point {_show((lon, lat))} is off the map: longitude must be between -180 and 180 "
            "and latitude between -90 and 90 (GeoJSON puts longitude first)."
        )
    return float(lon), float(lat)


def _brief(value, limit: int = 60) -> str:
    """The offending value for a message, cut short so a huge upload cannot make a huge error."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _show(point) -> str:
    return f"[{point[0]:g}, {point[1]:g}]"
