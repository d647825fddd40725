"""A county map drawn on the server as SVG paths, from geo's 1:10M outlines.

No tiles and no map script: an Albers equal-area projection fitted to the states shown, outlines
simplified until the whole map stays under a fixed number of points, so the page stays small however
many states a network touches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo.counties import counties_by_fips, drawing_outlines

WIDTH = 800.0
MAX_POINTS = 12_000  # about 150 kB of path data at most
FIRST_TOLERANCE = 0.35  # in drawn pixels: finer than the eye sees at this width
MAX_TOLERANCE = 3.0


@dataclass(frozen=True)
class Shape:
    fips: str
    name: str
    state: str
    path: str  # SVG path data in the map's own coordinates


@dataclass(frozen=True)
class Drawing:
    width: float
    height: float
    shapes: tuple[Shape, ...]


def _albers(lon0: float, lat0: float, lat1: float, lat2: float):
    """An Albers equal-area conic on a unit sphere, set for the area drawn."""
    p1, p2, p0 = math.radians(lat1), math.radians(lat2), math.radians(lat0)
    n = (math.sin(p1) + math.sin(p2)) / 2 or 1e-9
    c = math.cos(p1) ** 2 + 2 * n * math.sin(p1)
    rho0 = math.sqrt(max(c - 2 * n * math.sin(p0), 0)) / n

    def project(xy: np.ndarray) -> np.ndarray:
        rho = np.sqrt(np.maximum(c - 2 * n * np.sin(np.radians(xy[:, 1])), 0)) / n
        theta = n * np.radians(xy[:, 0] - lon0)
        return np.column_stack((rho * np.sin(theta), rho0 - rho * np.cos(theta)))  # y grows northwards

    return project


def _path(geometry: BaseGeometry) -> str:
    polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    parts = []
    for polygon in polygons:
        if not isinstance(polygon, Polygon) or polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            points = list(ring.coords)[:-1]
            if len(points) < 3:
                continue
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


@lru_cache(maxsize=64)
def draw(states: tuple[str, ...]) -> Drawing:
    """Every county of these states (two-digit state FIPS codes), projected, fitted to WIDTH and simplified."""
    counties = counties_by_fips()
    outlines = drawing_outlines()
    chosen = sorted(fips for fips in outlines if fips[:2] in states and fips in counties)
    if not chosen:
        return Drawing(WIDTH, 0.0, ())
    minx, miny, maxx, maxy = shapely.total_bounds([outlines[f] for f in chosen])
    project = _albers((minx + maxx) / 2, (miny + maxy) / 2, miny + (maxy - miny) / 6, maxy - (maxy - miny) / 6)
    projected = {f: shapely.transform(outlines[f], project) for f in chosen}
    px0, py0, px1, py1 = shapely.total_bounds(list(projected.values()))
    scale = WIDTH / max(px1 - px0, 1e-9)
    height = max((py1 - py0) * scale, 1.0)
    # To drawn pixels, with y turned to point down as SVG's does.
    fitted = {f: shapely.transform(g, lambda xy: _fit(xy, px0, py1, scale)) for f, g in projected.items()}
    tolerance = FIRST_TOLERANCE
    while True:
        simple = {f: shapely.simplify(g, tolerance, preserve_topology=True) for f, g in fitted.items()}
        # Every ring keeps a few points whatever the tolerance, so stop coarsening at a few pixels.
        points = sum(len(shapely.get_coordinates(g)) for g in simple.values())
        if points <= MAX_POINTS or tolerance >= MAX_TOLERANCE:
            break
        tolerance *= 2
    shapes = tuple(Shape(f, counties[f].name, counties[f].state, _path(simple[f])) for f in chosen)
    return Drawing(WIDTH, round(height, 1), shapes)


def _fit(xy, x0: float, y1: float, scale: float):
    out = xy.copy()
    out[:, 0] = (xy[:, 0] - x0) * scale
    out[:, 1] = (y1 - xy[:, 1]) * scale
    return out
