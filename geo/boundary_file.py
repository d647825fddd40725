"""The compact file of exact county boundaries that point lookups load.

It holds the Census 1:500k county polygons and the lookup grid built over
them (geo.grid), so that a worker only reads arrays and never rebuilds the
index. geo.derive_boundaries writes it from the Census shapefile.

Coordinates are integers in millionths of a degree, which is exactly the
precision of the source, so shared borders stay bit-for-bit shared. They are
stored as differences from the previous vertex, which compress well.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from .grid import Grid

SCALE = 1_000_000  # integer units per degree
_GRID_ARRAYS = ("blocks", "cells", "cand_start", "cand_poly")


@dataclass(frozen=True)
class BoundaryFile:
    vintage: str  # e.g. "2016": the year the boundaries describe
    source: str  # the source file's name, e.g. "cb_2016_us_county_500k"
    fips: tuple[str, ...]  # ascending; polygon index i is fips[i]
    names: tuple[str, ...]
    interior: np.ndarray  # float [n, 2]: lon, lat of a point inside each county
    geoms: np.ndarray | None  # MultiPolygons, same order
    grid: Grid | None


def write(path: Path, *, vintage: str, source: str, fips, names, interior, geoms: np.ndarray, grid: Grid) -> None:
    fips = list(fips)
    if fips != sorted(fips):
        raise ValueError("counties must be in ascending FIPS order")
    kind, coords, (ring_offsets, part_offsets, geom_offsets) = shapely.to_ragged_array(as_multipolygons(geoms))
    assert kind == shapely.GeometryType.MULTIPOLYGON
    units = np.round(coords * SCALE).astype(np.int64)
    if not np.array_equal(units / SCALE, coords):
        raise ValueError("coordinates are finer than a millionth of a degree")
    np.savez_compressed(
        path,
        vintage=np.array(vintage),
        source=np.array(source),
        fips=np.array(fips),
        names=np.array(list(names)),
        interior=np.asarray(interior, dtype=np.float64),
        steps=np.diff(units, axis=0, prepend=0).astype(np.int32),
        ring_offsets=ring_offsets.astype(np.int32),
        part_offsets=part_offsets.astype(np.int32),
        geom_offsets=geom_offsets.astype(np.int32),
        shift=np.array(grid.shift),
        **{name: getattr(grid, name) for name in _GRID_ARRAYS},
    )


def as_multipolygons(geoms: np.ndarray) -> np.ndarray:
    """Each Polygon or MultiPolygon as a MultiPolygon (the file's one type)."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    return shapely.multipolygons(parts, indices=owner)


def read_table(path: Path) -> BoundaryFile:
    """Everything but the shapes and the grid (geoms and grid are None): fast."""
    return _read(path, shapes=False)


def read(path: Path) -> BoundaryFile:
    return _read(path, shapes=True)


def _read(path: Path, shapes: bool) -> BoundaryFile:
    with np.load(path) as data:
        if not shapes:
            return BoundaryFile(vintage=str(data["vintage"]), source=str(data["source"]),
                                fips=tuple(data["fips"].tolist()), names=tuple(data["names"].tolist()),
                                interior=data["interior"], geoms=None, grid=None)
        coords = np.cumsum(data["steps"], axis=0, dtype=np.int64) / SCALE
        offsets = (data["ring_offsets"], data["part_offsets"], data["geom_offsets"])
        geoms = shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, coords, offsets)
        grid = Grid(shift=int(data["shift"]), **{name: data[name] for name in _GRID_ARRAYS})
        return BoundaryFile(
            vintage=str(data["vintage"]),
            source=str(data["source"]),
            fips=tuple(data["fips"].tolist()),
            names=tuple(data["names"].tolist()),
            interior=data["interior"],
            geoms=geoms,
            grid=grid,
        )
