"""The geometry guard: the worst shapes of the denial-of-service finding, each answered within its budget.

For each shape, times what the coverage endpoint does (parse, cost checks,
repair, coverage) over several repeats, and the bare library on the same
shape as the baseline: plain `shapely.make_valid` for shapes that need
repair, plain intersection with every county for valid ones. The baseline
runs in a subprocess stopped after BASELINE_LIMIT seconds, so the benchmark
cannot hang. Then, on a real `surge serve`, posts 50 complex shapes at once while timing
/healthz and the log-in page against the same requests on an idle server,
and times a SIGTERM sent with 50 more in flight.
Run from the repository root: .venv/bin/python bench/geo_guard.py
"""

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout, installed or not
sys.path.insert(0, str(ROOT / "bench"))

from geo import counties_covering, parse_geojson_polygon  # noqa: E402
from geo.errors import InvalidInput  # noqa: E402
from http_locate import SURGE, free_port, start_server, stop_server, wait_ready  # noqa: E402
from tests.hostile_shapes import across_the_antimeridian, comb, hatching, overlapping_holes, star, zigzag  # noqa: E402, F401

BUDGET_SECONDS = 1.0
BASELINE_LIMIT = 30.0
REPEATS = 7

SHAPES = {
    "star-101": "star(101, 50)",
    "star-301": "star(301, 150)",
    "holes-1000": "overlapping_holes(1000)",
    "comb-10000": "comb(10_000)",
    "hatching": "hatching()",
    "circle-9999": "star(9_999, 1, centre=(-98, 38), radius=8)",
    "zigzag-9999": "zigzag()",
    "antimeridian": "across_the_antimeridian()",
}

BASELINE = """
import sys, time
sys.path.insert(0, {root!r})
import shapely
from shapely.geometry import shape
from tests.hostile_shapes import *
from geo.index import county_index
geometry = shape({expr})
counties = county_index().geoms
started = time.perf_counter()
if geometry.is_valid:
    shapely.area(shapely.intersection(counties[county_index().tree.query(geometry)], geometry))
else:
    shapely.make_valid(geometry)
print(time.perf_counter() - started)
"""


def ours(shape) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        outcome = f"{len(counties_covering(parse_geojson_polygon(shape).geometry))} counties"
    except InvalidInput as exc:
        outcome = f"refused ({getattr(exc, 'kind', 'invalid')})"
    return time.perf_counter() - started, outcome


def baseline(expr: str) -> float | None:
    try:
        done = subprocess.run([sys.executable, "-c", BASELINE.format(root=str(ROOT), expr=expr)], capture_output=True,
                              text=True, timeout=BASELINE_LIMIT, check=True)
    except subprocess.TimeoutExpired:
        return None
    return float(done.stdout.strip().splitlines()[-1])


def summary(values: list[float]) -> str:
    values = sorted(values)
    p99 = values[min(len(values) - 1, round(0.99 * (len(values) - 1)))]
    return f"mean {statistics.mean(values) * 1000:6.1f} ms, median {statistics.median(values) * 1000:6.1f} ms, p99 {p99 * 1000:6.1f} ms"


async def probe(client: httpx.AsyncClient, path: str, stop: asyncio.Event) -> list[float]:
    """Latencies of `path`, asked every 50 ms until `stop`."""
    latencies = []
    while not stop.is_set():
        started = time.perf_counter()
        await client.get(path)
        latencies.append(time.perf_counter() - started)
        await asyncio.sleep(0.05)
    return latencies


async def under_load(base: str, token: str, shapes: int) -> dict:
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=shapes + 4)) as client:
        stop = asyncio.Event()
        stop.set()
        idle = {path: [] for path in ("/healthz", "/login")}
        for _ in range(20):
            for path in idle:
                started = time.perf_counter()
                await client.get(path)
                idle[path].append(time.perf_counter() - started)
        stop.clear()
        probes = {path: asyncio.create_task(probe(client, path, stop)) for path in idle}
        posts = [client.post("/api/v1/geo/coverage", json=star(101, 50) if i % 2 else star(301, 150), headers=headers)
                 for i in range(shapes)]
        started = time.perf_counter()
        answers = await asyncio.gather(*posts)
        elapsed = time.perf_counter() - started
        stop.set()
        loaded = {path: await task for path, task in probes.items()}
    statuses = {}
    for answer in answers:
        statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
    return {"idle": idle, "loaded": loaded, "statuses": statuses, "elapsed": elapsed}


async def shutdown_under_load(base: str, token: str, server: subprocess.Popen, shapes: int) -> float:
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=shapes)) as client:
        posts = [asyncio.create_task(client.post("/api/v1/geo/coverage", json=star(101, 50), headers=headers))
                 for _ in range(shapes)]
        await asyncio.sleep(0.5)
        started = time.perf_counter()
        os.killpg(server.pid, signal.SIGTERM)
        while server.poll() is None and time.perf_counter() - started < 60:
            await asyncio.sleep(0.05)
        took = time.perf_counter() - started
        await asyncio.gather(*posts, return_exceptions=True)
    return took


def http_bench(shapes: int = 50) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        port = free_port()
        server, log_path = start_server(tmp, port, workers=1)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_ready(base, server, log_path)
            env = {**os.environ, "SURGE_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}", "SURGE_LOG_LEVEL": "WARNING"}
            made = subprocess.run([str(SURGE), "token", "create", "--name", "bench", "--role", "emergency_manager"],
                                  env=env, capture_output=True, text=True, timeout=60, check=True)
            token = made.stdout.strip().splitlines()[-1]
            result = asyncio.run(under_load(base, token, shapes))
            print(f"\n{shapes} complex shapes posted at once (half 101-point stars, half 301-point stars): "
                  f"answers {result['statuses']} in {result['elapsed']:.2f} s")
            ok = True
            for path in ("/healthz", "/login"):
                idle, loaded = result["idle"][path], result["loaded"][path]
                ratio = statistics.median(loaded) / statistics.median(idle)
                print(f"GET {path:<8} idle:   {summary(idle)}")
                print(f"GET {path:<8} loaded: {summary(loaded)}  (median {ratio:.1f}x idle)")
                ok &= max(loaded) < 1.0
            took = asyncio.run(shutdown_under_load(base, token, server, shapes))
            print(f"SIGTERM with {shapes} shapes in flight: the server exited after {took:.2f} s")
            ok &= took < 10
            return ok
        finally:
            stop_server(server)


def main() -> int:
    counties_covering(parse_geojson_polygon(star(5, 2)).geometry)  # load the index outside the timings
    failed = False
    print(f"{'shape':<14} {'outcome':<22} {'mean':>7} {'median':>7} {'p99':>7} {'bare lib':>9} {'ratio':>7}")
    for name, expr in SHAPES.items():
        shape = eval(expr)
        times, outcome = [], ""
        for _ in range(REPEATS):
            seconds, outcome = ours(shape)
            times.append(seconds)
        times.sort()
        p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
        base = baseline(expr)
        base_text = f">{BASELINE_LIMIT:.0f} s" if base is None else f"{base:.3f}"
        ratio = (BASELINE_LIMIT if base is None else base) / statistics.median(times)
        print(f"{name:<14} {outcome:<22} {statistics.mean(times):7.3f} {statistics.median(times):7.3f} {p99:7.3f} "
              f"{base_text:>9} {('>' if base is None else '') + f'{ratio:.0f}x':>7}")
        failed |= p99 > BUDGET_SECONDS
    print(f"budget {BUDGET_SECONDS} s per shape: {'FAILED' if failed else 'all within'}")
    if not http_bench():
        print("the server was slow to answer under load, or to stop")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
