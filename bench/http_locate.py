"""HTTP throughput and latency of the ZIP locate endpoint against /healthz, measured with wrk.

Starts a real `surge serve --workers 2` on a fresh SQLite database in a temporary folder, bound
to 127.0.0.1 only, then drives it with wrk (Debian's `wrk`, written in C, so the client is not
the bottleneck). Rounds alternate between the endpoints, so both see the same machine. Prints
requests/s and the mean, median and p99 latency per endpoint, and each one's ratio to the first
(/healthz by default: by ZIP code and by point).
The server is always stopped.

    .venv/bin/python bench/http_locate.py
    .venv/bin/python bench/http_locate.py --path /healthz --path /healthz   # check the harness
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
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
from pg_scratch import scratch_database

REPO = Path(__file__).resolve().parent.parent
SURGE = REPO / ".venv" / "bin" / "surge"
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_cycle.lua"
ZIP_FILE = REPO / "geo" / "data" / "zcta-centroids.csv"
HOME_ZIP = "77002"
DATABASE = "surge_bench_http"  # with --postgres: made for the run on that server, dropped after
DEFAULT_PATHS = ["/healthz", "/api/v1/geo/locate?zip={zip}", "/api/v1/geo/locate?lat={lat}&lon={lon}"]


class BenchError(Exception):
    pass


@dataclass
class Round:
    requests: int
    seconds: float
    mean_ms: float
    median_ms: float
    p99_ms: float
    failures: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def sample_zips(count: int = 48) -> list[dict[str, str]]:
    """77002 first, then ZCTAs spread evenly through the file, so lookups do not all hit one cache line."""
    home = {"zip": HOME_ZIP, "lat": "29.756845", "lon": "-95.365652"}
    if not ZIP_FILE.exists():
        return [home]
    with ZIP_FILE.open(newline="") as handle:
        rows = [{"zip": r["zip"], "lat": r["latitude"], "lon": r["longitude"]} for r in csv.DictReader(handle)]
    step = max(1, len(rows) // count)
    return [home, *[r for r in rows[::step][:count] if r["zip"] != HOME_ZIP]]


def expand(path: str, zips: list[dict[str, str]]) -> list[str]:
    """{zip}, {lat} and {lon} in a path cycle through the sample (a ZCTA's code or its centre)."""
    return [path.format(**z) for z in zips] if "{" in path else [path]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_network(database_url: str, network: str) -> None:
    """The synthetic national network (bench/national_network.py), made through the domain code."""
    if network == "none":
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(REPO))
    import national_network

    from surge.access.principal import system
    from surge.kernel.db import make_engine, run_in_transaction

    engine = make_engine(database_url)
    run_in_transaction(engine, national_network.load, actor=system("bench"))
    engine.dispose()


def start_server(tmp: Path, port: int, workers: int, database_url: str | None = None, network: str = "none"
                 ) -> tuple[subprocess.Popen, Path, dict[str, str]]:
    """The server, its log, and the headers of an API token: token callers are exempt from the public
    API's per-address limit, which would otherwise answer most of a load test from one address with 429."""
    env = {
        **os.environ,
        "SURGE_DATABASE_URL": database_url or f"sqlite:///{tmp / 'bench.db'}",
        "SURGE_LOG_LEVEL": "WARNING",
        "SURGE_ENV": "development",
    }
    upgrade = subprocess.run([str(SURGE), "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120)
    if upgrade.returncode != 0:
        raise BenchError(f"`surge db upgrade` failed:\n{upgrade.stderr[-2000:]}")
    load_network(env["SURGE_DATABASE_URL"], network)
    made = subprocess.run([str(SURGE), "token", "create", "--name", "benchmark", "--role", "partner"], env=env,
                          capture_output=True, text=True, timeout=120)
    if made.returncode != 0:
        raise BenchError(f"`surge token create` failed:\n{made.stderr[-2000:]}")
    headers = {"Authorization": f"Bearer {made.stdout.split()[-1]}"}
    log_path = tmp / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(SURGE), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the workers are stopped with it
        )
    return server, log_path, headers


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


def _listeners(port: int) -> int | None:
    """Sockets listening on the port (on Linux each worker has its own); None where the system does not say."""
    if not os.path.exists("/proc/net/tcp"):
        return None
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as lines:
            next(lines)
            for line in lines:
                local, state = line.split()[1], line.split()[3]
                count += state == "0A" and int(local.rsplit(":", 1)[1], 16) == port
    return count


def wait_ready(base: str, server: subprocess.Popen, log_path: Path, timeout: float = 60, workers: int = 1) -> None:
    """Until /healthz answers and, where each worker listens on a socket of its own, every worker listens: load
    started earlier lands its long-lived connections on the first worker up, which then serves them all."""
    deadline = time.monotonic() + timeout
    port = int(base.rsplit(":", 1)[1])
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"the server exited with {server.returncode}:\n{log_path.read_text()[-2000:]}")
        try:
            answered = httpx.get(base + "/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            answered = False
        listening = _listeners(port)
        if answered and (listening is None or listening >= workers):
            return
        time.sleep(0.2)
    raise BenchError(f"the server did not answer /healthz within {timeout:.0f} s:\n{log_path.read_text()[-2000:]}")


def check_answers(base: str, path: str, urls: list[str], headers: dict[str, str]) -> list[str]:
    """The URLs that answer 200; the first one must, or the endpoint is not there to measure."""
    with httpx.Client(base_url=base, timeout=10, headers=headers) as client:
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


def wrk_round(base: str, urls: list[str], *, seconds: float, connections: int, threads: int,
              headers: dict[str, str]) -> Round:
    """One wrk run of `seconds` over keep-alive connections, cycling through `urls`."""
    sent = [option for name, value in headers.items() for option in ("-H", f"{name}: {value}")]
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s", "--timeout", "10s",
               *sent, "-s", str(WRK_SCRIPT), base, "--", *urls]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise BenchError(f"wrk failed ({done.returncode}): {done.stderr[-500:]}{done.stdout[-500:]}")
    f = json.loads(lines[-1])
    return Round(f["requests"], f["duration_us"] / 1e6, f["mean_us"] / 1000, f["p50_us"] / 1000, f["p99_us"] / 1000,
                 f["non_2xx"] + f["socket_errors"])


def bench(base: str, targets: list[tuple[str, list[str]]], args) -> list[tuple[str, int, list[Round]]]:
    """A short warm-up per endpoint, then rounds that alternate between the endpoints."""
    common = dict(connections=args.connections, threads=args.threads, headers=args.headers)
    for _, urls in targets:
        wrk_round(base, urls, seconds=args.warmup, **common)
    rounds: list[list[Round]] = [[] for _ in targets]
    for _ in range(args.rounds):
        for measured, (_, urls) in zip(rounds, targets):
            measured.append(wrk_round(base, urls, seconds=args.seconds, **common))
    for (path, _), measured in zip(targets, rounds):
        failed = sum(r.failures for r in measured)
        if failed:
            raise BenchError(f"{path}: {failed} responses were not 200 or failed during the measured rounds")
    return [(path, len(urls), measured) for (path, urls), measured in zip(targets, rounds)]


def report(results: list[tuple[str, int, list[Round]]], args) -> None:
    print(
        f"\nsurge serve --workers {args.workers}, 127.0.0.1, wrk -t{args.threads} -c{args.connections}, "
        f"{args.rounds} alternating rounds of {args.seconds:g} s per endpoint; each figure is the median of the rounds"
    )
    print(f"{'endpoint':<42} {'URLs':>5} {'req/s':>8} {'mean ms':>8} {'median ms':>10} {'p99 ms':>8}   rounds (req/s)")
    figures = []
    for path, url_count, measured in results:
        f = {name: statistics.median(getattr(r, name) for r in measured)
             for name in ("rate", "mean_ms", "median_ms", "p99_ms")}
        figures.append(f)
        per_round = " ".join(f"{r.rate:.0f}" for r in measured)
        print(f"{path:<42} {url_count:>5} {f['rate']:>8.0f} {f['mean_ms']:>8.2f} {f['median_ms']:>10.2f} "
              f"{f['p99_ms']:>8.2f}   {per_round}")
    base = figures[0]
    for (path, _, _), other in zip(results[1:], figures[1:]):
        print(f"ratio {path} / {results[0][0]}: req/s {other['rate'] / base['rate']:.2f}, "
              f"mean latency {other['mean_ms'] / base['mean_ms']:.2f}, median {other['median_ms'] / base['median_ms']:.2f}, "
              f"p99 {other['p99_ms'] / base['p99_ms']:.2f}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", action="append", help="endpoint to measure, repeatable; {zip} cycles through ZIPs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32, help="keep-alive connections (wrk -c)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads; one leaves the cores to the server")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per endpoint")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds per endpoint first")
    parser.add_argument("--postgres", metavar="URL", help="serve from a fresh database on this PostgreSQL server "
                        "(e.g. postgresql://postgres@127.0.0.1:5432/postgres) instead of SQLite")
    parser.add_argument("--network", choices=["none", "national"], default="none",
                        help="load the synthetic national network first (one center per state), for /api/v1/route")
    args = parser.parse_args(argv)
    args.path = args.path or DEFAULT_PATHS
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not SURGE.exists():
        print(f"error: {SURGE} not found; run `make test` or install the project first", file=sys.stderr)
        return 2
    if shutil.which("wrk") is None:
        print("error: wrk not found; on Debian: apt-get install wrk", file=sys.stderr)
        return 2
    zips = sample_zips()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="surge-bench-") as tmp, \
            (scratch_database(args.postgres, DATABASE) if args.postgres else contextlib.nullcontext()) as database_url:
        server = None
        if args.postgres and database_url is None:
            return 1
        try:
            server, log_path, args.headers = start_server(Path(tmp), port, args.workers, database_url, args.network)
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
            targets = [(path, check_answers(base, path, expand(path, zips), args.headers)) for path in args.path]
            results = bench(base, targets, args)
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
