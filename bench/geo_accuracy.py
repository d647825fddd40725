"""Accuracy of point -> county against the Census 1:500k answer.

The reference answer is a brute-force test of every 1:500k polygon (closed:
a point on a border goes to the lowest FIPS code, as in geo.index). Two
answers are scored against it, in the same run:

- county_at, the product (1:500k boundaries through the grid);
- the baseline: the same rule on the 1:10M drawing outlines, which is how
  points were resolved before.

Two sets of points: every ZCTA centroid, and points within 250 m of a
county line (random spots on shared 1:500k borders, moved a random distance
of up to 250 m in a random direction).
Run from the repository root: .venv/bin/python bench/geo_accuracy.py
"""

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, installed or not

import numpy as np  # noqa: E402
import shapely  # noqa: E402

from geo import all_counties, counties_at  # noqa: E402
from geo.index import point_index  # noqa: E402
from geo.zips import centroids_by_zip  # noqa: E402

NEAR_LINE_M = 250.0
NEAR_LINE_POINTS = 50_000
METRES_PER_DEGREE = 111_320.0


def by_rule(fips, geoms, lons, lats) -> list[str | None]:
    """Lowest code among the polygons that hold (or touch) each point."""
    geoms = shapely.from_wkb(shapely.to_wkb(geoms))
    shapely.prepare(geoms)
    polygon, point = shapely.STRtree(shapely.points(lons, lats)).query(geoms, predicate="intersects")
    lowest = np.full(len(lons), len(fips))
    np.minimum.at(lowest, point, polygon)
    return [fips[i] if i < len(fips) else None for i in lowest]


def near_lines(geoms, rng) -> tuple[np.ndarray, np.ndarray]:
    """Points within NEAR_LINE_M of a border shared by two counties."""
    boundaries = shapely.boundary(geoms)
    tree = shapely.STRtree(boundaries)
    left, right = tree.query(boundaries, predicate="intersects")
    keep = left < right
    shared = shapely.intersection(boundaries[left[keep]], boundaries[right[keep]])
    lines = shapely.line_merge(shared[shapely.length(shared) > 0])
    length = shapely.length(lines)
    pick = rng.choice(lines.size, NEAR_LINE_POINTS, p=length / length.sum())
    spots = shapely.get_coordinates(shapely.line_interpolate_point(lines[pick], rng.random(NEAR_LINE_POINTS), normalized=True))
    distance = NEAR_LINE_M * np.sqrt(rng.random(NEAR_LINE_POINTS))  # uniform over the disc
    angle = rng.uniform(0, 2 * math.pi, NEAR_LINE_POINTS)
    lat = spots[:, 1] + distance * np.sin(angle) / METRES_PER_DEGREE
    lon = spots[:, 0] + distance * np.cos(angle) / (METRES_PER_DEGREE * np.cos(np.radians(spots[:, 1])))
    return lon, lat


def score(name: str, answer, reference) -> None:
    answer, reference = list(answer), list(reference)
    wrong = sum(a != r for a, r in zip(answer, reference))
    none = sum(a is None and r is not None for a, r in zip(answer, reference))
    print(f"  {name:<34} {1 - wrong / len(reference):8.3%} right, {wrong:6,} wrong ({none:,} of them in no county)")


def main() -> int:
    index = point_index()
    outlines = [c for c in all_counties() if c.geometry is not None]
    outline_fips = tuple(c.fips for c in outlines)
    outline_geoms = np.array([c.geometry for c in outlines], dtype=object)

    lat, lon = np.array(list(centroids_by_zip().values())).T
    near_lon, near_lat = near_lines(shapely.from_wkb(shapely.to_wkb(index.geoms)), np.random.default_rng(211))
    ok = True
    for title, xs, ys in [(f"all {lat.size:,} ZCTA centroids", lon, lat),
                          (f"{NEAR_LINE_POINTS:,} points within {NEAR_LINE_M:.0f} m of a county line", near_lon, near_lat)]:
        reference = by_rule(index.fips, index.geoms, xs, ys)
        product = counties_at(ys, xs).tolist()
        print(title)
        score("county_at (1:500k, grid)", product, reference)
        score("baseline: 1:10M outlines, same rule", by_rule(outline_fips, outline_geoms, xs, ys), reference)
        ok = ok and product == reference
    print("county_at agrees with the 1:500k answer everywhere" if ok else "MISMATCH between county_at and the 1:500k answer")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
