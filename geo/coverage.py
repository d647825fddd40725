"""Which counties an area (an incident's footprint, an alert polygon) covers."""

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .complexity import check_coverage_cost, rings_of
from .errors import InvalidInput
from .index import county_index
from .pieces import pieces
from .polygonal import polygonal_part


def counties_covering(geom: BaseGeometry, min_fraction: float = 0.01, *, min_share: float = 0.5) -> list[tuple[str, float]]:
    """Counties touched by a polygon, as (fips, fraction of the county inside).

    A county counts when at least `min_fraction` of its area lies inside the
    polygon, or when it holds at least `min_share` of the polygon's own area.
    The second rule keeps small areas: one wholly inside a county, one
    straddling a border, or one that is mostly in a vast county. Shapes
    without area (points, lines) cover nothing. The list is sorted by
    fraction, largest first, then by FIPS code. Raises TooComplex when the
    outline would cut the counties into too many strips to measure quickly.

    Areas are measured in square degrees. Each ratio compares areas at
    nearly the same latitude, so the distortion of lon/lat degrees cancels
    out to well under 1% even for the largest counties.
    """
    if not isinstance(geom, BaseGeometry):
        raise InvalidInput("geometry", f"Expected a shape, not {type(geom).__name__}.")
    area = polygonal_part(geom)
    if area is None:
        return []
    # A private copy: preparing changes the object, and prepared shapes must
    # not be shared between threads.
    area = shapely.from_wkb(shapely.to_wkb(area))
    shapely.prepare(area)
    index = county_index()
    check_coverage_cost(rings_of(area), index.tree)
    candidates = index.tree.query(area)  # bounding-box overlap only
    counties = index.geoms[candidates]
    county_area = shapely.area(counties)
    overlap = county_area.copy()
    partial = ~shapely.contains(area, counties)
    overlap[partial] = _overlap_areas(counties[partial], area)
    fraction = np.minimum(overlap / county_area, 1.0)
    share = overlap / area.area
    keep = (fraction >= min_fraction) | (share >= min_share)
    result = [(index.fips[i], float(f)) for i, f in zip(candidates[keep], fraction[keep])]
    result.sort(key=lambda item: (-item[1], item[0]))
    return result


def _overlap_areas(counties: np.ndarray, area: BaseGeometry) -> np.ndarray:
    """Area of each county's overlap with `area`, summed over small pieces of it that the county meets."""
    cut = pieces(area)
    if len(cut) == 1:
        return shapely.area(shapely.intersection(counties, area))
    county_at, piece_at = shapely.STRtree(cut).query(counties)
    parts = shapely.area(shapely.intersection(counties[county_at], cut[piece_at]))
    return np.bincount(county_at, weights=parts, minlength=len(counties))
