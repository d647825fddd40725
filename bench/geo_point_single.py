"""Single point -> county lookups: median time per call, against a naive loop.

Run from the repository root: .venv/bin/python bench/geo_point_single.py
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, installed or not

import numpy as np  # noqa: E402
import shapely  # noqa: E402

from geo import all_counties, county_at  # noqa: E402
from geo.index import county_index  # noqa: E402
from geo.zips import centroids_by_zip  # noqa: E402

TARGET_US = 15.0
TARGET_RATIO = 100.0


def per_call_ns(fn, points) -> list[int]:
    timings = []
    clock = time.perf_counter_ns
    for lat, lon in points:
        start = clock()
        fn(lat, lon)
        timings.append(clock() - start)
    return timings


def main() -> int:
    started = time.perf_counter()
    county_index()
    print(f"index built in {time.perf_counter() - started:.2f} s (first use, once per process)")

    centroids = list(centroids_by_zip().values())
    rng = np.random.default_rng(211)
    sample = [centroids[i] for i in rng.integers(0, len(centroids), 50_000)]

    # Naive baseline: test every county polygon in file order. Fresh,
    # unprepared copies, so it gets none of the index's preparation.
    polygons = [(c.fips, shapely.from_wkb(shapely.to_wkb(c.geometry))) for c in all_counties() if c.geometry is not None]

    def naive(lat, lon):
        point = shapely.Point(lon, lat)
        for fips, polygon in polygons:
            if polygon.contains(point):
                return fips
        return None

    mismatches = sum(naive(lat, lon) != county_at(lat, lon) for lat, lon in sample[:300])  # also warms both
    assert mismatches == 0, f"{mismatches} answers differ from the naive loop"

    fast = statistics.median(per_call_ns(county_at, sample)) / 1000
    slow = statistics.median(per_call_ns(naive, sample[:300])) / 1000
    tree = county_index().tree
    rtree = statistics.median(per_call_ns(lambda lat, lon: tree.query(shapely.Point(lon, lat), predicate="within"), sample[:5000])) / 1000

    ratio = slow / fast
    print(f"county_at: median {fast:.2f} µs per lookup over {len(sample):,} random ZCTA centroids")
    print(f"naive loop over {len(polygons):,} county polygons: median {slow:,.0f} µs per lookup (300 points)")
    print(f"ratio: naive is {ratio:,.0f}x slower")
    print(f"for context, STRtree.query(point, predicate='within'): median {rtree:.2f} µs")
    ok = fast <= TARGET_US and ratio >= TARGET_RATIO
    print("targets met" if ok else f"TARGET MISSED (want <= {TARGET_US} µs and >= {TARGET_RATIO:.0f}x)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
