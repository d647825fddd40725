"""geo's WKB column type on the configured database (SQLite by default, PostgreSQL in CI)."""

import shapely
from shapely.geometry import box
from sqlalchemy import Column, Float, Integer, MetaData, Table, insert, select

from geo import parse_geojson_polygon
from geo.column import Geometry, bbox_columns


def test_uploaded_shape_round_trips_with_its_bounding_box(engine):
    metadata = MetaData()
    areas = Table("geometry_column_probe", metadata, Column("id", Integer, primary_key=True),
                  Column("shape", Geometry()), *(Column(n, Float) for n in ("min_lon", "min_lat", "max_lon", "max_lat")))
    metadata.create_all(engine)
    try:
        houston = parse_geojson_polygon({"type": "Polygon", "coordinates": [
            [[-95.5, 29.6], [-95.2, 29.9], [-95.2, 29.6], [-95.5, 29.9], [-95.5, 29.6]]]}).geometry  # bow tie, repaired
        elsewhere = box(-80.3, 25.7, -80.1, 25.9)
        with engine.begin() as conn:
            conn.execute(insert(areas), [{"id": 1, "shape": houston, **bbox_columns(houston)},
                                         {"id": 2, "shape": elsewhere, **bbox_columns(elsewhere)}])
        with engine.connect() as conn:
            lon, lat = -95.3, 29.75
            hits = conn.execute(select(areas.c.id, areas.c.shape).where(
                areas.c.min_lon <= lon, areas.c.max_lon >= lon, areas.c.min_lat <= lat, areas.c.max_lat >= lat)).all()
        assert [row.id for row in hits] == [1]
        assert shapely.equals_exact(hits[0].shape, houston, tolerance=0)
        assert hits[0].shape.geom_type == "MultiPolygon"
    finally:
        metadata.drop_all(engine)
