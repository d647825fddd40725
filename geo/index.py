"""Point-to-county lookup.

A raster of county labels (geo.grid) answers most points by integer
arithmetic; points in cells that a county border crosses are settled by an
exact point-in-polygon test against the few counties involved. Everything is
built once per process, on first use.
"""

from array import array
from dataclasses import dataclass, replace

import numpy as np
import shapely

from ._lazy import once
from .counties import all_counties
from .grid import LAT_BLOCKS, LON_BLOCKS, Grid, build_grid
from .validate import check_lat_lon, check_lat_lon_arrays


@dataclass(frozen=True)
class CountyIndex:
    fips: tuple[str, ...]  # county FIPS per polygon index (counties with a shape)
    geoms: np.ndarray  # prepared shapely geometries, same order
    tree: shapely.STRtree
    grid: Grid
    # The grid arrays again, as array.array: for county_at, indexing these is
    # several times cheaper than indexing numpy one value at a time.
    blocks: array
    cells: array
    cand_start: array
    cand_poly: array
    fips_or_none: np.ndarray  # object array: fips by index, None at index -1


@once
def county_index() -> CountyIndex:
    """The shared index (built on first call, a second or two)."""
    shaped = [c for c in all_counties() if c.geometry is not None]
    # Private copies: County.geometry stays unprepared for callers to use freely.
    geoms = shapely.from_wkb(shapely.to_wkb(np.array([c.geometry for c in shaped], dtype=object)))
    shapely.prepare(geoms)
    # GEOS builds a prepared polygon's point locator on its first query, and
    # that step is not thread-safe; run one query on each here, under the
    # build lock, so that later concurrent lookups only read.
    corner = shapely.bounds(geoms)
    shapely.contains_xy(geoms, corner[:, 0], corner[:, 1])
    tree = shapely.STRtree(geoms)
    grid = build_grid(geoms, tree)
    # county_at reads array.array copies; the numpy arrays become views of
    # the same memory, so the grid is stored once.
    plain = {
        "blocks": array("i", grid.blocks.tobytes()),
        "cells": array("i", grid.cells.tobytes()),
        "cand_start": array("q", grid.cand_start.tobytes()),
        "cand_poly": array("i", grid.cand_poly.tobytes()),
    }
    views = {name: np.frombuffer(buffer, dtype=getattr(grid, name).dtype) for name, buffer in plain.items()}
    fips = tuple(c.fips for c in shaped)
    return CountyIndex(
        fips=fips,
        geoms=geoms,
        tree=tree,
        grid=replace(grid, **views),
        fips_or_none=np.array(fips + (None,), dtype=object),
        **plain,
    )


def county_at(lat: float, lon: float) -> str | None:
    """FIPS code of the county containing the point, or None (e.g. at sea)."""
    lat, lon = check_lat_lon(lat, lon)
    index = county_index()
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
    for poly in index.cand_poly[index.cand_start[cell] : index.cand_start[cell + 1]]:
        if shapely.contains_xy(index.geoms[poly], lon, lat):
            return index.fips[poly]
    return None


def county_indices_at(lats, lons) -> np.ndarray:
    """Polygon index per point (-1 outside every county), vectorised."""
    lat, lon = check_lat_lon_arrays(lats, lons)
    lat, lon = lat.ravel(), lon.ravel()
    index = county_index()
    result = index.grid.locate(index.geoms, lon, lat)
    return result.reshape(np.shape(lats))


def counties_at(lats, lons) -> np.ndarray:
    """FIPS code (or None) per point: an object array shaped like `lats`."""
    return county_index().fips_or_none[county_indices_at(lats, lons)]
