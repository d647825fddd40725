"""Point-to-county lookup on the Census 1:500k county boundaries.

A raster of county labels (geo.grid) answers most points by integer
arithmetic; points in cells that a county border crosses are settled by an
exact test against the few counties involved. The boundaries and the raster
are read, already built, from geo/data (see geo.boundary_file), once per
process on first use.

The rule on a border: a point belongs to every county whose closed outline
(interior or boundary) holds it, and where several do (a point exactly on a
shared border or vertex) the lowest FIPS code wins. So every point on land
resolves to exactly one county, whichever side of a line it is drawn on.
"""

from array import array
from dataclasses import dataclass, replace

import numpy as np
import shapely

from . import boundary_file, sources
from ._lazy import once
from .grid import LAT_BLOCKS, LON_BLOCKS, Grid
from .outline_index import county_index  # noqa: F401  (geo.coverage's area index lives there)
from .validate import check_lat_lon, check_lat_lon_arrays


@dataclass(frozen=True)
class PointIndex:
    fips: tuple[str, ...]  # county FIPS per polygon index, ascending
    geoms: np.ndarray  # 1:500k MultiPolygons, same order (the large ones prepared)
    grid: Grid
    vintage: str  # year of the boundaries, e.g. "2016"
    # The grid arrays again, as array.array: for county_at, indexing these is
    # several times cheaper than indexing numpy one value at a time.
    blocks: array
    cells: array
    cand_start: array
    cand_poly: array
    fips_or_none: np.ndarray  # object array: fips by index, None at index -1


# Above this many vertices a county's exact test uses a prepared shape (an
# indexed point locator); below it a plain ray-crossing test is as quick,
# and the locators of all 3,233 counties would cost some 30 MB per worker.
PREPARE_ABOVE_VERTICES = 1000


def _prepare_large(geoms: np.ndarray) -> None:
    """Prepare the large polygons and build their point locators now.

    GEOS builds a prepared polygon's locator on the first point query that
    passes the bounding-box check, and that step is not thread-safe; doing it
    here, under the load lock, leaves later concurrent lookups only reading.
    A polygon's own first vertex is always inside its bounding box.
    """
    large = geoms[shapely.get_num_coordinates(geoms) > PREPARE_ABOVE_VERTICES]
    shapely.prepare(large)
    first_ring = shapely.get_exterior_ring(shapely.get_geometry(large, 0))
    xy = shapely.get_coordinates(shapely.get_point(first_ring, 0))
    shapely.intersects_xy(large, xy[:, 0], xy[:, 1])


@once
def point_index() -> PointIndex:
    """The shared index (read on first call, under a second)."""
    loaded = boundary_file.read(sources.DATA_DIR / sources.POINT_BOUNDARIES)
    geoms = loaded.geoms
    _prepare_large(geoms)
    grid = loaded.grid
    # county_at reads array.array copies; the numpy arrays become views of
    # the same memory, so the grid is stored once.
    plain = {
        "blocks": array("i", grid.blocks.astype(np.int32).tobytes()),
        "cells": array("i", grid.cells.astype(np.int32).tobytes()),
        "cand_start": array("q", grid.cand_start.astype(np.int64).tobytes()),
        "cand_poly": array("i", grid.cand_poly.astype(np.int32).tobytes()),
    }
    views = {name: np.frombuffer(buffer, dtype=np.dtype(buffer.typecode)) for name, buffer in plain.items()}
    return PointIndex(
        fips=loaded.fips,
        geoms=geoms,
        grid=replace(grid, **views),
        vintage=loaded.vintage,
        fips_or_none=np.array(loaded.fips + (None,), dtype=object),
        **plain,
    )


def county_at(lat: float, lon: float) -> str | None:
    """FIPS code of the county holding the point, or None (e.g. at sea).

    On a border shared by several counties, the lowest FIPS code wins.
    """
    lat, lon = check_lat_lon(lat, lon)
    index = point_index()
    # Grid.cell_values for one point, in plain Python: for a single value
    # this is several times faster than going through numpy.
    shift = index.grid.shift
    k = 1 << shift
    gx = min(int((lon + 180.0) * k), LON_BLOCKS * k - 1)  # operands are >= 0: int() floors
    gy = min(int((lat + 90.0) * k), LAT_BLOCKS * k - 1)
    block = index.blocks[(gy >> shift) * LON_BLOCKS + (gx >> shift)]
    value = index.cells[(block << 2 * shift) | ((gy & (k - 1)) << shift) | (gx & (k - 1))]
    if value >= 0:
        return index.fips[value]
    if value == -1:
        return None
    cell = -value - 2
    # Candidates are in ascending FIPS order, so the first hit is the rule's answer.
    for poly in index.cand_poly[index.cand_start[cell] : index.cand_start[cell + 1]]:
        if shapely.intersects_xy(index.geoms[poly], lon, lat):
            return index.fips[poly]
    return None


def county_indices_at(lats, lons) -> np.ndarray:
    """Polygon index per point (-1 outside every county), vectorised."""
    lat, lon = check_lat_lon_arrays(lats, lons)
    lat, lon = lat.ravel(), lon.ravel()
    index = point_index()
    result = index.grid.locate(index.geoms, lon, lat)
    return result.reshape(np.shape(lats))


def counties_at(lats, lons) -> np.ndarray:
    """FIPS code (or None) per point: an object array shaped like `lats`."""
    return point_index().fips_or_none[county_indices_at(lats, lons)]
