import shapely
from shapely.geometry import Point, box
from sqlalchemy import Column, Float, Integer, MetaData, Table, create_engine, insert, select

from geo import parse_geojson_polygon
from geo.column import Geometry, bbox_columns


def test_round_trip_and_bbox_prefilter_on_the_configured_database(engine):
    """SQLite by default, PostgreSQL when the suite runs there: the WKB column must behave the same."""
    metadata = MetaData()
    areas = Table(
        "geometry_column_probe", metadata,
        Column("id", Integer, primary_key=True),
        Column("shape", Geometry()),
        *(Column(name, Float) for name in ("min_lon", "min_lat", "max_lon", "max_lat")),
    )
    metadata.create_all(engine)
    try:
        houston = box(-95.5, 29.6, -95.2, 29.9).difference(Point(-95.35, 29.75).buffer(0.01))
        bow_tie = parse_geojson_polygon({"type": "Polygon", "coordinates": [
            [[-97.5, 29.6], [-97.2, 29.9], [-97.2, 29.6], [-97.5, 29.9], [-97.5, 29.6]]]}).geometry  # repaired
        miami = box(-80.3, 25.7, -80.1, 25.9)
        with engine.begin() as db:
            db.execute(insert(areas), [
                {"id": 1, "shape": houston, **bbox_columns(houston)},
                {"id": 2, "shape": miami, **bbox_columns(miami)},
                {"id": 3, "shape": None, **bbox_columns(None)},
                {"id": 4, "shape": bow_tie, **bbox_columns(bow_tie)},
            ])
        with engine.connect() as db:
            rows = dict(db.execute(select(areas.c.id, areas.c.shape)).all())
            lon, lat = -95.37, 29.76
            near = db.execute(select(areas.c.id).where(
                areas.c.min_lon <= lon, areas.c.max_lon >= lon, areas.c.min_lat <= lat, areas.c.max_lat >= lat
            )).scalars().all()
        assert shapely.equals_exact(rows[1], houston, tolerance=0)
        assert len(rows[1].interiors) == 1
        assert shapely.equals_exact(rows[2], miami, tolerance=0)
        assert rows[3] is None
        assert rows[4].geom_type == "MultiPolygon" and shapely.equals_exact(rows[4], bow_tie, tolerance=0)
        assert near == [1]
    finally:
        metadata.drop_all(engine)


def test_bbox_columns():
    assert bbox_columns(box(1, 2, 3, 4)) == {"min_lon": 1.0, "min_lat": 2.0, "max_lon": 3.0, "max_lat": 4.0}
    assert bbox_columns(shapely.Polygon()) == dict.fromkeys(("min_lon", "min_lat", "max_lon", "max_lat"))


def test_rejects_non_geometry():
    import pytest
    from sqlalchemy.exc import StatementError

    metadata = MetaData()
    table = Table("t", metadata, Column("id", Integer, primary_key=True), Column("shape", Geometry()))
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with pytest.raises(StatementError), engine.begin() as db:
        db.execute(insert(table), {"id": 1, "shape": "POINT (0 0)"})
