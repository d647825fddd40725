"""Vectorised point -> county lookups over every ZCTA centroid, against a scalar loop.

Run from the repository root: .venv/bin/python bench/geo_point_bulk.py
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, installed or not

import numpy as np  # noqa: E402

from geo import counties_at, county_at  # noqa: E402
from geo.index import county_index  # noqa: E402
from geo.zips import centroids_by_zip  # noqa: E402

TARGET = 1_000_000  # points per second


def median_seconds(fn, rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> int:
    county_index()  # build outside the timings
    lat, lon = np.array(list(centroids_by_zip().values())).T
    lat_list, lon_list = lat.tolist(), lon.tolist()

    def scalar():
        return [county_at(a, b) for a, b in zip(lat_list, lon_list)]

    assert list(counties_at(lat, lon)) == scalar()
    bulk = median_seconds(lambda: counties_at(lat, lon), 25)
    loop = median_seconds(scalar, 5)

    rate, loop_rate = lat.size / bulk, lat.size / loop
    print(f"counties_at: {rate:,.0f} points/s ({lat.size:,} ZCTA centroids in {bulk * 1000:.1f} ms, median of 25)")
    print(f"scalar loop of county_at: {loop_rate:,.0f} points/s (median of 5)")
    print(f"ratio: vectorised is {rate / loop_rate:.1f}x the scalar loop")
    ok = rate >= TARGET
    print("target met" if ok else f"TARGET MISSED (want >= {TARGET:,} points/s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
