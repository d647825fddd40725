"""HTTP throughput of the ZIP locate endpoint against /healthz, on a real `surge serve` with workers.

Starts the server on a fresh SQLite database in a temporary folder, bound to 127.0.0.1 only, then
drives each endpoint over keep-alive connections from one asyncio process: a warm-up, then a few
rounds bounded both in requests and in seconds. Prints median requests/s and p99 latency per
endpoint and the ratio of the second endpoint to the first. The server is always stopped.

    .venv/bin/python bench/http_locate.py
    .venv/bin/python bench/http_locate.py --path /healthz --path /healthz   # check the harness
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
SURGE = REPO / ".venv" / "bin" / "surge"
ZIP_FILE = REPO / "geo" / "data" / "zcta-centroids.csv"
HOME_ZIP = "77002"
DEFAULT_PATHS = ["/healthz", "/api/v1/geo/locate?zip={zip}"]


class BenchError(Exception):
    pass


@dataclass
class Round:
    requests: int
    seconds: float
    p99_ms: float
    failures: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def sample_zips(count: int = 48) -> list[str]:
    """77002 first, then ZIPs spread evenly through the file, so lookups do not all hit one cache line."""
    if not ZIP_FILE.exists():
        return [HOME_ZIP]
    with ZIP_FILE.open(newline="") as handle:
        zips = [row["zip"] for row in csv.DictReader(handle)]
    step = max(1, len(zips) // count)
    return [HOME_ZIP, *[z for z in zips[::step][:count] if z != HOME_ZIP]]


def expand(path: str, zips: list[str]) -> list[str]:
    return [path.format(zip=z) for z in zips] if "{zip}" in path else [path]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(tmp: Path, port: int, workers: int) -> tuple[subprocess.Popen, Path]:
    env = {
        **os.environ,
        "SURGE_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "SURGE_LOG_LEVEL": "WARNING",
        "SURGE_ENV": "development",
    }
    upgrade = subprocess.run([str(SURGE), "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120)
    if upgrade.returncode != 0:
        raise BenchError(f"`surge db upgrade` failed:\n{upgrade.stderr[-2000:]}")
    log_path = tmp / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(SURGE), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the workers are stopped with it
        )
    return server, log_path


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


def wait_ready(base: str, server: subprocess.Popen, log_path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"the server exited with {server.returncode}:\n{log_path.read_text()[-2000:]}")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise BenchError(f"the server did not answer /healthz within {timeout:.0f} s:\n{log_path.read_text()[-2000:]}")


def check_answers(base: str, path: str, urls: list[str]) -> list[str]:
    """The URLs that answer 200; the first one must, or the endpoint is not there to measure."""
    with httpx.Client(base_url=base, timeout=10) as client:
        first = client.get(urls[0])
        if first.status_code != 200:
            raise BenchError(
                f"GET {urls[0]} answered {first.status_code}, not 200: {first.text[:300]!r}\n"
                f"The endpoint {path} is not ready to benchmark."
            )
        good = [urls[0], *[url for url in urls[1:] if client.get(url).status_code == 200]]
    if len(good) < len(urls):
        print(f"note: {len(urls) - len(good)} of {len(urls)} URLs for {path} did not answer 200; left out")
    return good


def keep_alive_latency_ms(base: str, path: str = "/healthz", count: int = 20) -> float:
    """Median time of sequential requests on one connection: the floor every figure below sits on."""
    with httpx.Client(base_url=base, timeout=10) as client:
        client.get(path)
        times = []
        for _ in range(count):
            sent = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - sent) * 1000)
    return statistics.median(times)


async def load(base: str, urls: list[str], *, requests: int, seconds: float, concurrency: int) -> Round:
    """Up to `requests` GETs over `concurrency` keep-alive connections, stopping early after `seconds`."""
    latencies: list[float] = []
    failures = 0
    issued = 0
    # One single-connection client per lane: httpx's shared async pool slows sharply past a few
    # connections, and then the figures would measure the client rather than the server.
    one = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [httpx.AsyncClient(base_url=base, limits=one, timeout=10) for _ in range(concurrency)]

    async def lane(client: httpx.AsyncClient) -> None:
        nonlocal issued, failures
        while issued < requests and time.perf_counter() < deadline:
            url = urls[issued % len(urls)]
            issued += 1
            sent = time.perf_counter()
            try:
                response = await client.get(url)
            except httpx.HTTPError:
                failures += 1
                continue
            latencies.append(time.perf_counter() - sent)
            if response.status_code != 200:
                failures += 1

    try:
        start = time.perf_counter()
        deadline = start + seconds
        await asyncio.gather(*(lane(client) for client in clients))
        elapsed = time.perf_counter() - start
    finally:
        for client in clients:
            await client.aclose()
    latencies.sort()
    p99 = latencies[max(0, math.ceil(0.99 * len(latencies)) - 1)] * 1000 if latencies else float("nan")
    return Round(len(latencies), elapsed, p99, failures)


def bench(base: str, path: str, urls: list[str], args) -> list[Round]:
    common = dict(seconds=args.seconds, concurrency=args.concurrency)
    asyncio.run(load(base, urls, requests=args.warmup, **common))
    rounds = [asyncio.run(load(base, urls, requests=args.requests, **common)) for _ in range(args.rounds)]
    failed = sum(r.failures for r in rounds)
    if failed:
        raise BenchError(f"{path}: {failed} responses were not 200 during the measured rounds")
    return rounds


def report(results: list[tuple[str, int, list[Round]]], args) -> None:
    print(
        f"\nsurge serve --workers {args.workers}, 127.0.0.1, concurrency {args.concurrency}, "
        f"{args.rounds} rounds of up to {args.requests} requests or {args.seconds:g} s, Python client (httpx)"
    )
    print(f"{'endpoint':<40} {'URLs':>5} {'req/s':>9} {'p99 ms':>8}   rounds (req/s)")
    medians = []
    for path, url_count, rounds in results:
        rate = statistics.median(r.rate for r in rounds)
        p99 = statistics.median(r.p99_ms for r in rounds)
        medians.append(rate)
        per_round = " ".join(f"{r.rate:.0f}" for r in rounds)
        print(f"{path:<40} {url_count:>5} {rate:>9.0f} {p99:>8.1f}   {per_round}")
    if len(results) >= 2:
        print(f"ratio {results[1][0]} / {results[0][0]} (req/s): {medians[1] / medians[0]:.2f}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", action="append", help="endpoint to measure, repeatable; {zip} cycles through ZIPs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--requests", type=int, default=5000, help="requests per round at most")
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds per round at most")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=500, help="unmeasured requests before the rounds")
    args = parser.parse_args(argv)
    args.path = args.path or DEFAULT_PATHS
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not SURGE.exists():
        print(f"error: {SURGE} not found; run `make test` or install the project first", file=sys.stderr)
        return 2
    zips = sample_zips()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="surge-bench-") as tmp:
        server = None
        try:
            server, log_path = start_server(Path(tmp), port, args.workers)
            wait_ready(base, server, log_path)
            floor = keep_alive_latency_ms(base)
            if floor > 30:
                # Nagle's algorithm meeting the client's delayed ACK: ~40 ms per response on Linux.
                print(
                    f"warning: one keep-alive request takes {floor:.0f} ms; the server's connections lack "
                    "TCP_NODELAY (uvicorn --workers N on Linux, uvicorn issue 3149), so the figures below "
                    "measure that delay more than Surge",
                    file=sys.stderr,
                )
            targets = [(path, check_answers(base, path, expand(path, zips))) for path in args.path]
            results = [(path, len(urls), bench(base, path, urls, args)) for path, urls in targets]
        except BenchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        finally:
            if server is not None:
                stop_server(server)
    report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
