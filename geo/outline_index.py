"""An STRtree over the 1:10M drawing outlines, for area operations.

geo.coverage measures which counties an area covers against these outlines;
point lookups use the exact boundaries instead (geo.index).
"""

from dataclasses import dataclass

import numpy as np
import shapely

from ._lazy import once
from .counties import drawing_outlines


@dataclass(frozen=True)
class OutlineIndex:
    fips: tuple[str, ...]  # county FIPS per outline, ascending
    geoms: np.ndarray  # prepared private copies of the outlines, same order
    tree: shapely.STRtree


@once
def county_index() -> OutlineIndex:
    outlines = drawing_outlines()
    fips = tuple(sorted(outlines))
    # Private copies: County.geometry stays unprepared for callers to use freely.
    geoms = shapely.from_wkb(shapely.to_wkb(np.array([outlines[f] for f in fips], dtype=object)))
    shapely.prepare(geoms)
    return OutlineIndex(fips=fips, geoms=geoms, tree=shapely.STRtree(geoms))
