"""The raster on made-up polygons, with cells large enough to stress the edges."""

import numpy as np
import shapely

from geo.grid import OUTSIDE, build_grid


def tiles():
    # Non-overlapping shapes with edges at awkward angles, a hole, a sliver,
    # and one split across the 180th meridian.
    wedge = shapely.Polygon([(0.1, 0.1), (3.9, 0.37), (2.2, 3.3)])
    ring = shapely.Point(6, 2).buffer(1.7, 7).difference(shapely.Point(6, 2).buffer(0.6, 5))
    island = shapely.Point(6, 2).buffer(0.35, 3)
    sliver = shapely.Polygon([(0.2, 4.2), (7.7, 4.3), (7.7, 4.33)])
    across = shapely.MultiPolygon([shapely.box(179.3, 1, 180, 2.5), shapely.box(-180, 1, -179.1, 2.5)])
    geoms = np.array([wedge, ring, island, sliver, across], dtype=object)
    assert not shapely.overlaps(geoms[:, None], geoms[None, :]).any()
    return geoms


def test_grid_matches_polygons_on_random_points():
    geoms = tiles()
    shapely.prepare(geoms)
    grid = build_grid(geoms, shapely.STRtree(geoms), shift=1)  # half-degree cells
    rng = np.random.default_rng(5)
    lon = np.concatenate([rng.uniform(-1, 9, 60_000), rng.uniform(179, 180, 3000), rng.uniform(-180, -179, 3000)])
    lat = np.concatenate([rng.uniform(-1, 5, 60_000), rng.uniform(0.5, 3, 6000)])
    expected = np.full(lon.size, OUTSIDE)
    for i, g in enumerate(geoms):
        expected[shapely.contains_xy(g, lon, lat)] = i
    assert (grid.locate(geoms, lon, lat) == expected).all()
    assert (grid.cell_values(lon, lat) <= -2).any()  # the edges were exercised
    assert (grid.cell_values(lon, lat) >= 0).any()  # and so were whole cells


def test_untouched_blocks_share_storage():
    geoms = tiles()
    grid = build_grid(geoms, shapely.STRtree(geoms), shift=3)
    assert grid.blocks.size == 360 * 180
    stored = np.unique(grid.blocks).size
    assert stored < 50  # a few dozen blocks of 8 x 8 cells, not 64,800
    assert grid.cells.size == stored * 64
