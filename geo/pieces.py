"""Cut a large area into small pieces, so that each overlay stays cheap.

Intersecting every county with one polygon of thousands of points repeats
the work on all of its points for each county. Cut into pieces of a few
hundred points, each county meets only the pieces near it, and the total
work grows with the area's size rather than with size times counties.
"""

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

MAX_PIECE_VERTICES = 256


def pieces(area: Polygon | MultiPolygon, max_vertices: int = MAX_PIECE_VERTICES) -> np.ndarray:
    """Disjoint polygons whose union is `area`, each with at most about `max_vertices` points."""
    done: list = []
    todo = list(shapely.get_parts(area))
    while todo:
        piece = todo.pop()
        if shapely.get_num_coordinates(piece) <= max_vertices:
            done.append(piece)
            continue
        xmin, ymin, xmax, ymax = piece.bounds
        if xmax - xmin >= ymax - ymin:
            middle = (xmin + xmax) / 2
            halves = (shapely.box(xmin, ymin, middle, ymax), shapely.box(middle, ymin, xmax, ymax))
        else:
            middle = (ymin + ymax) / 2
            halves = (shapely.box(xmin, ymin, xmax, middle), shapely.box(xmin, middle, xmax, ymax))
        if xmax - xmin < 1e-9 and ymax - ymin < 1e-9:  # cannot be cut further
            done.append(piece)
            continue
        for half in halves:
            cut = shapely.intersection(piece, half)
            todo.extend(p for p in shapely.get_parts(cut) if isinstance(p, Polygon) and not p.is_empty)
    return np.array(done, dtype=object)
