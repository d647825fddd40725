"""Reduce any shapely geometry to its valid polygonal part."""

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry


def polygonal_part(geom: BaseGeometry | None) -> Polygon | MultiPolygon | None:
    """The valid area of `geom` as a Polygon or MultiPolygon, or None if it has none.

    Repairing can split a polygon into pieces and stray lines or points (for
    example where a ring touches itself); only the area matters here.
    """
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, (Polygon, MultiPolygon)) and not p.is_empty]
    polygons = [q for p in parts for q in (p.geoms if isinstance(p, MultiPolygon) else [p])]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
