"""What a shape would cost to repair, judged cheaply before any repair runs.

Repairing a self-crossing outline costs far more than its point count
suggests: the work grows with the number of places where edges cross, and a
few hundred points joined as a star cross each other tens of thousands of
times. So crossings are counted first, over an index of the edges, stopping
as soon as the count passes a cap; the shape is refused when it does.
"""


import numpy as np
import shapely

from .errors import InvalidInput

# Measured with the "structure" repair: about 10,000 crossings cost well under
# a quarter of a second, leaving room for the coverage computation that follows.
MAX_CROSSINGS = 10_000
# Edge pairs whose boxes overlap are the cost of counting, and of repair too:
# dense bundles of long edges (a fan, a hatching) have millions of them with
# few crossings, and repairing one such shape took 16 s.
MAX_EDGE_PAIRS = 300_000
_BATCH = 64  # edges queried at once: bounds the work between two checks of the budget


class TooComplex(InvalidInput):
    """A shape that would cost too much to work with. `kind` names the limit it passed."""

    def __init__(self, kind: str, message: str, *, limit: int):
        super().__init__("geometry", message)
        self.kind = kind
        self.limit = limit


def too_many_points(limit: int) -> TooComplex:
    return TooComplex("points", f"The shape has too many points: the limit is {limit:,}. Simplify it and try again.",
                      limit=limit)


def check_repair_cost(rings: list[np.ndarray], *, max_crossings: int = MAX_CROSSINGS,
                      max_edge_pairs: int = MAX_EDGE_PAIRS) -> int:
    """The number of places where edges of the closed `rings` meet, other than a ring's own joints.

    Raises TooComplex once the count passes `max_crossings`, or once checking
    would compare more than `max_edge_pairs` pairs of edges.
    """
    starts, ends, ring_of, first, last = _edges(rings)
    count = len(starts)
    if count < 2:
        return 0
    lines = shapely.linestrings(np.stack([starts, ends], axis=1))
    tree = shapely.STRtree(lines)
    compared = crossings = 0
    for low in range(0, count, _BATCH):
        mine, other = tree.query(lines[low : low + _BATCH])
        compared += len(mine)
        if compared > 2 * max_edge_pairs:  # the query meets each pair from both sides
            raise TooComplex("crowded", "The shape is too complex: its edges lie too densely on top of each other "
                             "to be checked. Simplify it and try again.", limit=max_edge_pairs)
        mine = mine + low
        later = other > mine  # each pair once
        mine, other = mine[later], other[later]
        joint = (ring_of[mine] == ring_of[other]) & ((other == mine + 1) | ((mine == first[mine]) & (other == last[mine])))
        mine, other = mine[~joint], other[~joint]
        crossings += int(np.count_nonzero(_meet(starts[mine], ends[mine], starts[other], ends[other])))
        if crossings > max_crossings:
            raise TooComplex("crossings", f"The shape is too complex: its outline crosses itself in more than "
                             f"{max_crossings:,} places. Draw it without crossing lines, or as fewer pieces.",
                             limit=max_crossings)
    return crossings


def _edges(rings: list[np.ndarray]):
    """Start and end points of every edge of non-zero length, its ring, and its ring's first and last edge."""
    starts, ends, ring_of = [], [], []
    for number, ring in enumerate(rings):
        points = np.asarray(ring, dtype=np.float64)[:, :2]
        keep = np.ones(len(points), dtype=bool)
        keep[1:] = np.any(points[1:] != points[:-1], axis=1)  # a repeated point makes no edge
        points = points[keep]
        starts.append(points[:-1])
        ends.append(points[1:])
        ring_of.append(np.full(len(points) - 1, number))
    if not starts:
        empty = np.empty((0, 2))
        return empty, empty, np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    ring_of = np.concatenate(ring_of)
    sizes = np.bincount(ring_of, minlength=len(rings))
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    first = offsets[ring_of]
    last = first + sizes[ring_of] - 1
    return np.concatenate(starts), np.concatenate(ends), ring_of, first, last


def _meet(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Whether segment a-b meets segment c-d, for pairs whose bounding boxes already overlap."""
    def side(p, q, r):
        return np.sign((q[:, 0] - p[:, 0]) * (r[:, 1] - p[:, 1]) - (q[:, 1] - p[:, 1]) * (r[:, 0] - p[:, 0]))

    # Touching and collinear overlaps count too: repair has to resolve them as well.
    return (side(a, b, c) * side(a, b, d) <= 0) & (side(c, d, a) * side(c, d, b) <= 0)


# Overlaying an area with the counties costs little for short edges, which
# meet the boxes of a few neighbouring counties, and much for long ones that
# cut county after county into strips (a comb, a zigzag). So an edge costs a
# quarter of a unit for each county box it meets, and a whole unit more for
# each beyond the fourth. Measured: 15,000 units take up to about 0.9 s; a
# 9,000-point outline of Kentucky costs about 5,000 and takes 0.1 s.
MAX_COVERAGE_UNITS = 15_000
_NEAR_COUNTIES = 4


def check_coverage_cost(rings: list[np.ndarray], counties: shapely.STRtree, *,
                        max_units: int = MAX_COVERAGE_UNITS) -> float:
    """The estimated cost of overlaying this outline with the counties; TooComplex past `max_units`."""
    starts, ends, *_ = _edges(rings)
    if not len(starts):
        return 0.0
    edge_of = counties.query(shapely.linestrings(np.stack([starts, ends], axis=1)))[0]
    meets = np.bincount(edge_of, minlength=len(starts))
    units = len(edge_of) / 4 + float(np.maximum(meets - _NEAR_COUNTIES, 0).sum())
    if units > max_units:
        raise TooComplex("counties", "The shape is too complex: its outline runs back and forth across too many "
                         "counties to be measured quickly. Simplify it and try again.", limit=max_units)
    return units


def rings_of(geometry) -> list[np.ndarray]:
    """The coordinates of every ring of a polygonal geometry."""
    return [shapely.get_coordinates(ring) for polygon in shapely.get_parts(geometry)
            for ring in (polygon.exterior, *polygon.interiors)]
