"""Make a set of neighbouring polygons disjoint in area.

Repairing a self-touching outline (shapely.make_valid) can leave a sliver
that reaches over the neighbour's side of the line. Where two shapes overlap,
the shared area stays with the one listed first and is cut from the other,
which is the same rule the point lookup uses on a shared border.
"""

import numpy as np
import shapely

from .polygonal import polygonal_part


def overlapping_pairs(geoms: np.ndarray, suspects: np.ndarray | None = None) -> list[tuple[int, int]]:
    """(i, j) with i < j for every pair of shapes that share some area.

    `suspects` (indices) limits the search to pairs involving those shapes,
    e.g. the ones that needed repair: in a topologically clean source
    only a repaired shape can reach over its neighbour.
    """
    suspects = np.arange(len(geoms)) if suspects is None else np.asarray(suspects, dtype=np.int64)
    tree = shapely.STRtree(geoms)
    found, other = tree.query(geoms[suspects], predicate="intersects")
    left, right = np.minimum(suspects[found], other), np.maximum(suspects[found], other)
    pairs = np.unique(np.stack([left, right]), axis=1) if left.size else np.stack([left, right])
    left, right = pairs
    keep = left < right
    left, right = left[keep], right[keep]
    # intersects also holds for shapes that only touch; keep those with area.
    shared = shapely.area(shapely.intersection(geoms[left], geoms[right])) > 0
    return list(zip(left[shared].tolist(), right[shared].tolist()))


def remove_overlaps(geoms: np.ndarray, suspects: np.ndarray | None = None) -> np.ndarray:
    """A copy of `geoms` in which no two shapes share area.

    For each overlapping pair the later shape loses the shared part. Shapes
    without overlaps are returned unchanged (the same objects); see
    overlapping_pairs for `suspects`.
    """
    result = geoms.copy()
    for i, j in overlapping_pairs(geoms, suspects):
        result[j] = polygonal_part(shapely.difference(result[j], result[i]))
    return result
