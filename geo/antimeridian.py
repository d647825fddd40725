"""Polygons drawn across the 180th meridian, read as the small area they mean.

GeoJSON takes the short way between two points, so an edge from 170 to -170
degrees of longitude spans 20 degrees across the antimeridian. Read as plain
coordinates, the same edge spans 340 degrees and the polygon becomes nearly
the whole world. A ring with such a jump is unwrapped into one continuous
run of longitudes, and the polygon is cut at 180 degrees into two halves,
each brought back into -180..180.
"""

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

from .complexity import check_repair_cost


def crosses_antimeridian(rings: list[list[tuple[float, float]]]) -> bool:
    """Whether any edge of these rings jumps more than half way round the world."""
    return any(np.any(np.abs(np.diff(np.asarray(ring)[:, 0])) > 180) for ring in rings)


def split_at_antimeridian(rings: list[list[tuple[float, float]]]) -> Polygon | MultiPolygon:
    """The polygon these rings mean, as parts on either side of the 180th meridian."""
    shell, *holes = (_unwrap(ring) for ring in rings)
    # Holes are moved by whole turns to lie where the shell does.
    centre = np.mean(shell[:, 0])
    holes = [hole + [[360.0 * round((centre - np.mean(hole[:, 0])) / 360.0), 0.0]] for hole in holes]
    whole = Polygon(shell, holes)
    if not whole.is_valid:
        check_repair_cost([shell, *holes])
        whole = shapely.make_valid(whole, method="structure", keep_collapsed=False)
    parts = []
    for turn in (-360.0, 0.0, 360.0):
        window = shapely.box(-180.0 - turn, -90.0, 180.0 - turn, 90.0)
        clipped = shapely.intersection(whole, window)
        if not clipped.is_empty:
            parts.extend(shapely.get_parts(shapely.transform(clipped, lambda xy: xy + [turn, 0.0])))
    polygons = [p for p in parts if isinstance(p, Polygon) and not p.is_empty]
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _unwrap(ring) -> np.ndarray:
    points = np.array(ring, dtype=np.float64)
    steps = np.diff(points[:, 0])
    turns = np.concatenate([[0.0], np.cumsum(-360.0 * np.round(steps / 360.0))])
    points[:, 0] += turns
    return points
