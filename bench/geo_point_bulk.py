"""Vectorised point -> county lookups over every ZCTA centroid, against a bulk STRtree query.

Both answer on the same 1:500k polygons by the same rule (a point on a border
goes to the lowest FIPS code). A scalar loop of county_at is shown too.
Run from the repository root: .venv/bin/python bench/geo_point_bulk.py
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, installed or not

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from figures import summarise  # noqa: E402

from geo import counties_at, county_at  # noqa: E402
from geo.index import point_index  # noqa: E402
from geo.zips import centroids_by_zip  # noqa: E402

TARGET = 1_000_000  # points per second, median


def round_ms(fn, rounds: int):
    """Milliseconds per round (all the points once), summarised: the p99 is the slow tail."""
    per_round = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        per_round.append((time.perf_counter() - start) * 1000)
    return summarise(per_round)


def main() -> int:
    index = point_index()  # load outside the timings
    lat, lon = np.array(list(centroids_by_zip().values())).T
    lat_list, lon_list = lat.tolist(), lon.tolist()
    geoms = shapely.from_wkb(shapely.to_wkb(index.geoms))
    tree = shapely.STRtree(geoms)

    def strtree():
        point, polygon = tree.query(shapely.points(lon, lat), predicate="intersects")
        lowest = np.full(lat.size, len(geoms))
        np.minimum.at(lowest, point, polygon)
        return lowest

    def scalar():
        return [county_at(a, b) for a, b in zip(lat_list, lon_list)]

    bulk = counties_at(lat, lon)
    assert list(bulk) == scalar()
    assert [index.fips[i] if i < len(geoms) else None for i in strtree()] == list(bulk)

    fast = round_ms(lambda: counties_at(lat, lon), 25)
    plain = round_ms(strtree, 5)
    loop = round_ms(scalar, 5)
    print(f"all {lat.size:,} ZCTA centroids per round, time per round:")
    for name, figure in [("counties_at", fast), ("bulk STRtree.query baseline", plain), ("scalar loop of county_at", loop)]:
        print(f"{name + ':':<29} {figure.show('ms', 1)}; median {lat.size / figure.median * 1000:,.0f} points/s")
    print(f"ratio, STRtree / counties_at: {fast.ratio_to(plain)}")
    print(f"ratio, scalar loop / counties_at: {fast.ratio_to(loop)}")
    ok = lat.size / fast.median * 1000 >= TARGET
    print("target met" if ok else f"TARGET MISSED (want >= {TARGET:,} points/s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
