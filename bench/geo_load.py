"""Per-worker cost of geography: time to ready and memory, and the one-off index build.

Each worker loads the prebuilt 1:500k index from geo/data instead of building
it. This script starts fresh processes, as `surge serve` starts workers, and
measures in each the time from process start until warm-up is done
(surge.locations.lookups.warm_up: counties, point index, ZIP table) and the
memory that warm-up adds. The baseline, in the same run, is a process that
imports the same modules and does no warm-up. It also times building the
index from the polygons (what geo.derive_boundaries does once), to compare.

Run from the repository root: .venv/bin/python bench/geo_load.py [--rounds 5]
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the checkout, installed or not

from figures import summarise  # noqa: E402

TARGET_READY_S = 3.0
TARGET_MEMORY_MB = 120.0

_CHILD = """
import json, resource, sys, time
def rss_mb():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1e6
import surge.locations.lookups as lookups
imported, before = time.perf_counter(), rss_mb()
if sys.argv[1] == 'warm':
    lookups.warm_up()
    assert lookups.is_warm()
print(json.dumps({'imported': imported, 'done': time.perf_counter(), 'before': before, 'after': rss_mb(),
                  'peak': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3}))
"""


def run_child(mode: str) -> dict:
    # time.perf_counter is CLOCK_MONOTONIC on Linux, so parent and child share the clock.
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _CHILD, mode], cwd=REPO, check=True, capture_output=True, text=True)
    figures = json.loads(out.stdout)
    figures["started"] = started
    return figures


def build_seconds() -> float:
    import shapely

    from geo.grid import build_grid
    from geo.index import point_index

    geoms = shapely.from_wkb(shapely.to_wkb(point_index().geoms))
    started = time.perf_counter()
    build_grid(geoms, shapely.STRtree(geoms))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    warm, bare = [], []
    for _ in range(args.rounds):  # interleaved, so both see the same machine
        warm.append(run_child("warm"))
        bare.append(run_child("bare"))
    ready = summarise([w["done"] - w["started"] for w in warm])
    start_only = summarise([b["done"] - b["started"] for b in bare])
    warm_up = summarise([w["done"] - w["imported"] for w in warm])
    memory = summarise([w["after"] - w["before"] for w in warm])
    peak = summarise([w["peak"] - b["after"] for w, b in zip(warm, bare)])
    print(f"ready after start (import + warm-up): {ready.show('s')}")
    print(f"baseline, start and import only:      {start_only.show('s')}")
    print(f"warm-up alone:                        {warm_up.show('s')}; ratio ready / baseline: "
          f"median {ready.median / start_only.median:.1f}x")
    print(f"geography memory per worker (RSS added by warm-up): {memory.show('MB', 0)}")
    print(f"peak RSS over the baseline process:                 {peak.show('MB', 0)}")
    builds = summarise([build_seconds() for _ in range(max(1, args.rounds // 3))])
    print(f"building the grid from the polygons (once, offline): {builds.show('s')}; "
          f"{builds.median / warm_up.median:.1f}x the whole warm-up")
    ok = ready.p99 <= TARGET_READY_S and memory.p99 <= TARGET_MEMORY_MB
    print("targets met" if ok else f"TARGET MISSED (want ready <= {TARGET_READY_S} s and memory <= {TARGET_MEMORY_MB:.0f} MB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
