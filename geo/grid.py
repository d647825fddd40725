"""A two-level raster of polygon labels for fast point lookups.

The globe is cut into 1-degree blocks, each cut into K x K cells (K a power of
two, so cell arithmetic is exact in binary floating point). A cell that no
polygon edge passes through lies wholly inside one polygon or wholly outside
all of them, so its answer is stored directly. A cell that an edge crosses is
a "boundary" cell: it stores a short list of candidate polygons, which must
then be tested exactly. Blocks with no edge at all share one filled block per
label, so memory goes only to blocks that need detail.

Cell values: >= 0 polygon index, -1 no polygon, <= -2 boundary cell number
(-value - 2) into the candidate lists. Polygons must not overlap. A point
on a shared edge belongs to the polygon with the lowest index.
"""

from dataclasses import dataclass

import numpy as np
import shapely

OUTSIDE = -1
LON_BLOCKS = 360
LAT_BLOCKS = 180


@dataclass(frozen=True)
class Grid:
    shift: int  # K = 2**shift cells per degree
    blocks: np.ndarray  # int32 [180 * 360]: index of each block's K*K cells
    cells: np.ndarray  # int32 [n_blocks * K * K]: cell values (see module doc)
    cand_start: np.ndarray  # int64 [n_boundary + 1]: CSR offsets into cand_poly
    cand_poly: np.ndarray  # int32: candidate polygon indices, ascending per cell

    def cell_values(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Cell value for each point (arrays of valid lon/lat in degrees)."""
        k = 1 << self.shift
        gx = np.minimum(((lons + 180.0) * k).astype(np.int64), LON_BLOCKS * k - 1)
        gy = np.minimum(((lats + 90.0) * k).astype(np.int64), LAT_BLOCKS * k - 1)
        block = self.blocks[(gy >> self.shift) * LON_BLOCKS + (gx >> self.shift)].astype(np.int64)
        return self.cells[(block << (2 * self.shift)) | ((gy & (k - 1)) << self.shift) | (gx & (k - 1))]

    def locate(self, geoms: np.ndarray, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Index of the polygon containing each point, or OUTSIDE.

        `geoms` are the polygons the grid was built from, ideally prepared.
        """
        values = self.cell_values(lons, lats)
        result = np.where(values >= 0, values, OUTSIDE).astype(np.int64)
        edge = np.flatnonzero(values <= -2)
        if edge.size == 0:
            return result
        # One (point, candidate) pair per candidate of each boundary point,
        # all tested in a single vectorised call.
        cell = -values[edge].astype(np.int64) - 2
        count = self.cand_start[cell + 1] - self.cand_start[cell]
        point = np.repeat(edge, count)
        offset = np.arange(point.size) - np.repeat(np.cumsum(count) - count, count)
        poly = self.cand_poly[np.repeat(self.cand_start[cell], count) + offset].astype(np.int64)
        # Closed polygons: a point on an edge is in. Where it is on the edge
        # of several, the lowest index wins, as in a loop over them in order.
        inside = shapely.intersects_xy(geoms[poly], lons[point], lats[point])
        best = np.full(lons.size, len(geoms), dtype=np.int64)
        np.minimum.at(best, point[inside], poly[inside])
        result[edge] = np.where(best[edge] < len(geoms), best[edge], OUTSIDE)
        return result


def build_grid(geoms: np.ndarray, tree: shapely.STRtree, shift: int = 5) -> Grid:
    """Rasterise non-overlapping polygons `geoms` (indexed by `tree`)."""
    k = 1 << shift
    width = LON_BLOCKS * k
    cell_key, owner = _edge_cells(geoms, k)

    # Blocks that some edge passes through get their own K x K cells.
    detailed = np.unique((cell_key // width >> shift) * LON_BLOCKS + (cell_key % width >> shift))
    boundary = np.unique(cell_key)
    b_block, b_row, b_col = _locate(boundary, detailed, shift, width)
    is_edge = np.zeros((detailed.size, k, k), dtype=bool)
    is_edge[b_block, b_row, b_col] = True
    cells = _label_free_cells(tree, len(geoms), is_edge, detailed, shift)
    cells[b_block, b_row, b_col] = -2 - np.arange(boundary.size)
    cand_start, cand_poly = _candidates(tree, len(geoms), boundary, cell_key, owner, width, k)

    # Edge-free blocks point at one shared block per label.
    blocks = _block_table(tree, detailed, len(geoms))
    shared = blocks < 0
    labels = np.unique(blocks[shared])
    fill = np.repeat((-labels - 2).astype(np.int32), k * k).reshape(-1, k, k)
    blocks[shared] = detailed.size + np.searchsorted(labels, blocks[shared])
    return Grid(
        shift=shift,
        blocks=blocks.astype(np.int32),
        cells=np.concatenate([cells, fill]).reshape(-1),
        cand_start=cand_start.astype(np.int64),
        cand_poly=cand_poly.astype(np.int32),
    )


def _label_free_cells(tree, n_geoms, is_edge, detailed, shift) -> np.ndarray:
    """Cell values of the detailed blocks, with edge-free cells labelled.

    Within a block row, a run of edge-free cells lies in a single polygon,
    so one exact test per run labels the whole run.
    """
    k = 1 << shift
    rows = is_edge.reshape(-1, k)
    starts = ~rows & np.concatenate([np.ones((rows.shape[0], 1), bool), rows[:, :-1]], axis=1)
    run_id = np.cumsum(starts.ravel(), dtype=np.int64) - 1
    run_label = _labels_at(tree, *_cell_centres(np.flatnonzero(starts.ravel()), detailed, shift), n_geoms)
    cells = np.full(is_edge.shape, OUTSIDE, dtype=np.int32)
    free = ~is_edge.ravel()
    cells.reshape(-1)[free] = run_label[run_id[free]]
    return cells


def _candidates(tree, n_geoms, boundary, cell_key, owner, width, k):
    """CSR lists of the polygons to test in each boundary cell.

    They are the polygons whose edges cross the cell, plus whichever polygon
    holds the cell centre (it may cover the cell with its own edge lying
    exactly on the cell's border).
    """
    centre_label = _labels_at(tree, *_boundary_centres(boundary, width, k), n_geoms)
    with_centre = centre_label >= 0
    pair_cell = np.concatenate([np.searchsorted(boundary, cell_key), np.flatnonzero(with_centre)])
    pair_poly = np.concatenate([owner, centre_label[with_centre]])
    pairs = np.unique(pair_cell * n_geoms + pair_poly)  # sorted by cell, then polygon
    cand_start = np.searchsorted(pairs // n_geoms, np.arange(boundary.size + 1))
    return cand_start, pairs % n_geoms


def _edge_cells(geoms: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(cell key, polygon index) for every cell that a polygon edge touches.

    Edges are sampled at most half a cell apart, so consecutive samples fall
    in the same or adjacent cells; when they step diagonally, both cells
    beside the shared corner are added, which keeps the cover conservative.
    """
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    xy, vertex_of = shapely.get_coordinates(rings, return_index=True)
    xy = (xy + (180.0, 90.0)) * k  # cell units
    same_ring = vertex_of[:-1] == vertex_of[1:]
    a, b = xy[:-1][same_ring], xy[1:][same_ring]
    seg_owner = part_of[ring_of[vertex_of[:-1][same_ring]]]

    steps = np.ceil(np.abs(b - a).max(axis=1) * 2).astype(np.int64) + 1
    seg = np.repeat(np.arange(steps.size), steps)
    first = np.cumsum(steps) - steps
    t = (np.arange(seg.size) - first[seg]) / np.maximum(steps[seg] - 1, 1)
    points = a[seg] + (b - a)[seg] * t[:, None]
    limit = np.array([LON_BLOCKS * k - 1, LAT_BLOCKS * k - 1])
    cx, cy = np.minimum(np.floor(points).astype(np.int64), limit).T
    owner = seg_owner[seg]

    diagonal = (seg[:-1] == seg[1:]) & (cx[:-1] != cx[1:]) & (cy[:-1] != cy[1:])
    ex = np.concatenate([cx, cx[1:][diagonal], cx[:-1][diagonal]])
    ey = np.concatenate([cy, cy[:-1][diagonal], cy[1:][diagonal]])
    eo = np.concatenate([owner, owner[:-1][diagonal], owner[:-1][diagonal]])
    return ey * (LON_BLOCKS * k) + ex, eo


def _locate(cell_key, detailed, shift, width):
    """(detailed block number, row, column) of global cell keys."""
    cy, cx = cell_key // width, cell_key % width
    block = np.searchsorted(detailed, (cy >> shift) * LON_BLOCKS + (cx >> shift))
    mask = (1 << shift) - 1
    return block, cy & mask, cx & mask


def _cell_centres(flat_pos, detailed, shift):
    """lon/lat of cell centres given positions in the detailed cell array."""
    k = 1 << shift
    block, within = np.divmod(flat_pos, k * k)
    row, col = np.divmod(within, k)
    by, bx = np.divmod(detailed[block], LON_BLOCKS)
    lon = bx - 180.0 + (col + 0.5) / k
    lat = by - 90.0 + (row + 0.5) / k
    return lon, lat


def _boundary_centres(cell_key, width, k):
    cy, cx = np.divmod(cell_key, width)
    return (cx + 0.5) / k - 180.0, (cy + 0.5) / k - 90.0


def _labels_at(tree: shapely.STRtree, lon, lat, n_geoms) -> np.ndarray:
    """Index of the polygon covering each point, or OUTSIDE."""
    hit_point, hit_poly = tree.query(shapely.points(lon, lat), predicate="intersects")
    label = np.full(len(lon), n_geoms, dtype=np.int64)
    np.minimum.at(label, hit_point, hit_poly)  # lowest index if on a shared edge
    label[label == n_geoms] = OUTSIDE
    return label


def _block_table(tree, detailed, n_geoms) -> np.ndarray:
    """Detailed block number, or -label - 2 for an edge-free block."""
    by, bx = np.divmod(np.arange(LON_BLOCKS * LAT_BLOCKS), LON_BLOCKS)
    table = -_labels_at(tree, bx - 179.5, by - 89.5, n_geoms) - 2
    table[detailed] = np.arange(detailed.size)
    return table
