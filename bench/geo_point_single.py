"""Single point -> county lookups, per call: county_at against a plain STRtree query.

Both answer on the same 1:500k polygons by the same rule (a point on a border
goes to the lowest FIPS code). A naive loop over every polygon is shown too.
Run from the repository root: .venv/bin/python bench/geo_point_single.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, installed or not

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from figures import per_call_us  # noqa: E402

from geo import county_at  # noqa: E402
from geo.index import point_index  # noqa: E402
from geo.zips import centroids_by_zip  # noqa: E402

TARGET_MEDIAN_US = 15.0
TARGET_RATIO = 3.0  # county_at against STRtree, by the mean


def main() -> int:
    index = point_index()
    centroids = list(centroids_by_zip().values())
    rng = np.random.default_rng(211)
    sample = [centroids[i] for i in rng.integers(0, len(centroids), 50_000)]

    # The baseline's own tree over fresh, unprepared copies of the polygons:
    # what a plain shapely solution would do.
    geoms = shapely.from_wkb(shapely.to_wkb(index.geoms))
    tree = shapely.STRtree(geoms)
    fips = index.fips

    def strtree(lat, lon):
        hits = tree.query(shapely.Point(lon, lat), predicate="intersects")
        return fips[hits.min()] if hits.size else None

    def naive(lat, lon):
        point = shapely.Point(lon, lat)
        for code, geom in zip(fips, geoms):
            if geom.intersects(point):
                return code
        return None

    mismatches = sum(strtree(lat, lon) != county_at(lat, lon) for lat, lon in sample[:2000])  # also warms both
    mismatches += sum(naive(lat, lon) != county_at(lat, lon) for lat, lon in sample[:50])
    assert mismatches == 0, f"{mismatches} answers differ from the baselines"

    cells = index.grid.cell_values(*np.array(sample)[:, ::-1].T.copy())
    exact = float(np.mean(cells <= -2))

    fast = per_call_us(county_at, sample)
    plain = per_call_us(strtree, sample[:20_000])
    slow = per_call_us(naive, sample[:100])
    print(f"{len(fips):,} county polygons (1:500k); {exact:.1%} of the points fall in a border cell and need an exact test")
    print(f"county_at:              {fast.show('µs')}")
    print(f"STRtree.query baseline: {plain.show('µs')}")
    print(f"naive loop:             {slow.show('µs', 0)}")
    print(f"ratio, STRtree / county_at: {fast.ratio_to(plain)}")
    print(f"ratio, naive / county_at:   {fast.ratio_to(slow)}")
    ok = fast.median <= TARGET_MEDIAN_US and plain.mean / fast.mean >= TARGET_RATIO
    print("targets met" if ok else f"TARGET MISSED (want median <= {TARGET_MEDIAN_US} µs and mean >= {TARGET_RATIO}x STRtree)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
