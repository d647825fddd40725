"""A CAP alert's polygon -> the counties it covers, per alert, against a bare STRtree query.

The alert is thunderstorm.cap, a real NWS severe thunderstorm warning over three California counties,
with its SAME geocodes taken out so that only the polygon decides. Surge's path reads the XML (defused,
CAP 1.2 schema), checks and repairs the polygon and measures each county's share inside it
(surge.alerts); the baseline is what a careful engineer would write with shapely alone: the same ring
as a Polygon, one STRtree query with `intersects` over the same county outlines, no XML, no checks.
Run from the repository root: .venv/bin/python bench/cap_counties.py
"""

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, installed or not

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from figures import summarise  # noqa: E402

from geo.outline_index import county_index  # noqa: E402
from surge.alerts.cap import parse  # noqa: E402
from surge.alerts.footprint import footprint  # noqa: E402

ALERT = Path(__file__).resolve().parent.parent / "tests" / "data" / "alerts" / "thunderstorm.cap"
RUNS = 500
WARM_UP = 50
TARGET_MEDIAN_MS = 50.0


def _timed_ms(fn, runs: int) -> np.ndarray:
    clock = time.perf_counter_ns
    out = []
    for _ in range(runs):
        start = clock()
        fn()
        out.append(clock() - start)
    return np.array(out) / 1e6


def main() -> int:
    raw = re.sub(rb"<geocode>.*?</geocode>", b"", ALERT.read_bytes(), flags=re.S)
    polygon_text = re.search(rb"<polygon>(.*?)</polygon>", raw).group(1).decode()
    index = county_index()
    # The baseline's own tree over fresh, unprepared copies of the outlines.
    geoms = shapely.from_wkb(shapely.to_wkb(index.geoms))
    tree = shapely.STRtree(geoms)

    def surge_path():
        return footprint(parse(raw)).counties

    def baseline():
        ring = [(float(lon), float(lat)) for lat, lon in (pair.split(",") for pair in polygon_text.split())]
        return sorted(index.fips[i] for i in tree.query(shapely.Polygon(ring), predicate="intersects"))

    ours, theirs = surge_path(), baseline()
    assert set(ours) <= set(theirs), (ours, theirs)  # a county counts only if it meets the polygon at all
    for fn in (surge_path, baseline):
        _timed_ms(fn, WARM_UP)
    fast, plain = [], []
    for _ in range(RUNS // 50):  # alternate, so both see the same machine
        fast.append(_timed_ms(surge_path, 50))
        plain.append(_timed_ms(baseline, 50))
    fast, plain = summarise(np.concatenate(fast)), summarise(np.concatenate(plain))
    print(f"thunderstorm.cap polygon ({len(polygon_text.split())} points) -> {', '.join(ours)}; "
          f"the baseline's intersects finds {', '.join(theirs)}")
    print(f"surge (parse, schema, repair, coverage): {fast.show('ms', 3)}")
    print(f"STRtree.query(intersects) baseline:      {plain.show('ms', 3)}")
    print(f"ratio surge / baseline: mean {fast.mean / plain.mean:,.1f}x, median {fast.median / plain.median:,.1f}x, "
          f"p99 {fast.p99 / plain.p99:,.1f}x")
    ok = fast.median <= TARGET_MEDIAN_MS
    print(f"target median <= {TARGET_MEDIAN_MS:g} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
