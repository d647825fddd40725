"""ZIP code -> location lookups per second, against two baselines.

Baselines: a naive scan of the already-parsed crosswalk rows (no CSV parsing
in the timing), and the scalar point lookup on the ZIP's centroid.
Run from the repository root: .venv/bin/python bench/geo_zip.py
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, installed or not

import numpy as np  # noqa: E402

from figures import per_call_us  # noqa: E402

from geo import county_at, locate_zip  # noqa: E402
from geo import sources  # noqa: E402
from geo.zips import centroids_by_zip, shares_by_zip  # noqa: E402

TARGET = 200_000  # lookups per second


def median_rate(fn, items, rounds: int) -> float:
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for item in items:
            fn(item)
        rates.append(len(items) / (time.perf_counter() - start))
    return statistics.median(rates)


def per_call(fn, items):
    return per_call_us(lambda item: fn(item), [(item,) for item in items])


def main() -> int:
    locate_zip("77002")  # load the tables outside the timings
    rng = np.random.default_rng(211)
    zips = list(shares_by_zip())
    queries = [zips[i] for i in rng.integers(0, len(zips), 100_000)]

    rows = [(r["ZIP"], r["COUNTY"], float(r["RES_RATIO"] or 0)) for r in sources.read_csv(sources.ZIP_COUNTY)]

    def naive_scan(zip_code):
        best = None
        for z, county, ratio in rows:
            if z == zip_code and (best is None or ratio > best[1]):
                best = (county, ratio)
        return best

    centroids = centroids_by_zip()
    centred = [(z, centroids[z]) for z in queries if z in centroids]

    fast = median_rate(locate_zip, queries, 9)
    scan = median_rate(naive_scan, queries[:200], 3)
    point = median_rate(lambda item: county_at(*item[1]), centred, 5)

    print(f"locate_zip: {fast:,.0f} lookups/s ({len(queries):,} random ZIP codes, median of 9 passes)")
    one, scanned = per_call(locate_zip, queries[:20_000]), per_call(naive_scan, queries[:100])
    print(f"locate_zip per call: {one.show('µs')}")
    print(f"naive scan per call: {scanned.show('µs', 0)}; ratio {one.ratio_to(scanned)}")
    print(f"baseline 1, naive scan of {len(rows):,} parsed crosswalk rows: {scan:,.0f} lookups/s -> {fast / scan:,.0f}x")
    print(f"baseline 2, county_at on the ZIP centroid: {point:,.0f} lookups/s -> {fast / point:.1f}x")
    ok = fast >= TARGET
    print("target met" if ok else f"TARGET MISSED (want >= {TARGET:,} lookups/s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
