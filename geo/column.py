"""Storing shapes in the database without PostGIS.

Shapes are kept as WKB in a plain binary column, which SQLite and PostgreSQL
both support. Spatial filtering happens in two steps: a SQL range test on
bounding-box float columns (filled with `bbox_columns`) narrows the rows,
then shapely decides exactly.

    area: BaseGeometry | None = Field(default=None, sa_column=Column(Geometry()))
"""

import math

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy.types import LargeBinary, TypeDecorator


class Geometry(TypeDecorator):
    """A shapely geometry stored as well-known binary (WKB)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, BaseGeometry):
            raise TypeError(f"Geometry column expects a shapely geometry, not {type(value).__name__}")
        return shapely.to_wkb(value)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return shapely.from_wkb(bytes(value))  # PostgreSQL drivers may return memoryview


def bbox_columns(geom: BaseGeometry | None) -> dict[str, float | None]:
    """Bounding box values for min_lon/min_lat/max_lon/max_lat columns.

    All None for a missing or empty shape, so that it never matches a range
    filter by accident.
    """
    if geom is None or geom.is_empty:
        min_lon = min_lat = max_lon = max_lat = None
    else:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in geom.bounds)
        if not all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat)):
            min_lon = min_lat = max_lon = max_lat = None
    return {"min_lon": min_lon, "min_lat": min_lat, "max_lon": max_lon, "max_lat": max_lat}
