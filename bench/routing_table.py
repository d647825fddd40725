"""The national routing table (every ZIP code, by schedules) written as CSV, against the bare cost of the rows.

The synthetic national network of bench/national_network.py goes into a fresh SQLite database in a temporary
folder: one center per state or territory covering all its counties (time zones, hours and a SIP URI varied),
each with three agreements to the states it borders most (after hours and closed, a load trigger that a table
ignores, and a heavier load trigger with no agents). Each round builds the table
the way the API and the CLI do (`scheduled_table`: load the network, order each county, expand to ZIP codes)
and writes it as CSV. The baseline, in the same run, is the bare cost of the output: every ZIP code with its
primary county from geo, written with the csv module.
Run from the repository root: .venv/bin/python bench/routing_table.py [--rounds N]
"""

import argparse
import csv
import io
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, installed or not

import national_network  # noqa: E402
from figures import summarise  # noqa: E402

from geo.zips import shares_by_zip  # noqa: E402
from surge.access.principal import system  # noqa: E402
from surge.kernel.db import make_engine, run_in_transaction  # noqa: E402
from surge.kernel.validation import validate  # noqa: E402
from surge.routing import exports  # noqa: E402
from surge.routing.table import scheduled_table  # noqa: E402
from surge.schema import upgrade  # noqa: E402

TARGET_S = 5.0  # the whole country, table and CSV, by the median
ACTOR = system("bench")
AT = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)  # a Wednesday night in the continental US


def baseline() -> int:
    """Every ZIP code and its primary county from geo, written with the csv module."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["zip", "county_fips"])
    for zip_code, shares in sorted(shares_by_zip().items()):
        writer.writerow([zip_code, shares[0].county_fips])
    return len(out.getvalue())


def routing_table_csv(engine) -> tuple[int, int]:
    table = run_in_transaction(engine, scheduled_table, state=None, at=AT, national_fallback=None, actor=ACTOR)
    out = io.StringIO()
    out.writelines(exports.csv_chunks(table))
    return len(table.rows), table.width


def over_http(url: str):
    """GET /api/v1/routing-table.csv for the whole country through the app, in process (no sockets)."""
    from starlette.testclient import TestClient

    from surge.accounts.models import ApiTokenIn
    from surge.accounts.tokens import create_token
    from surge.kernel.settings import Settings
    from surge.web.app import create_app

    settings = Settings(database_url=url, env="test", secret_key="bench-secret-0123456789abcdefghijklmnop",
                        log_level="WARNING")
    from surge.kernel.logs import configure_logging

    configure_logging(settings)  # the access log at WARNING: one line per request would cloud the figures
    engine = make_engine(url)
    token = run_in_transaction(engine, create_token, actor=ACTOR,
                               data=validate(ApiTokenIn, {"name": "bench", "role": "partner"}))
    engine.dispose()
    client = TestClient(create_app(settings))
    client.__enter__()
    headers = {"authorization": f"Bearer {token}"}

    def get() -> int:
        answer = client.get("/api/v1/routing-table.csv", params={"at": AT.isoformat()}, headers=headers)
        assert answer.status_code == 200, answer.text
        return len(answer.content)

    return get, lambda: client.__exit__(None, None, None)


def seconds(fn, rounds: int):
    taken = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        taken.append(time.perf_counter() - start)
    return summarise(taken)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="surge-bench-") as folder:
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        engine = make_engine(url)
        try:
            centers = run_in_transaction(engine, national_network.load, actor=ACTOR)
            start = time.perf_counter()
            rows, width = routing_table_csv(engine)  # the first one also reads the ZIP table
            first = time.perf_counter() - start
            base = seconds(baseline, args.rounds)
            full = seconds(lambda: routing_table_csv(engine), args.rounds)
            get, close = over_http(url)
            try:
                http = seconds(get, args.rounds)
            finally:
                close()
        finally:
            engine.dispose()
    print(f"national network: {centers} centers, {centers * 3} agreements; {rows:,} ZIP codes, "
          f"{width} target columns at {AT.isoformat()}")
    print(f"first table in this process (reads geo's ZIP table too): {first:.2f} s")
    print(f"routing table + CSV, {args.rounds} rounds: {full.show('s', 3)}")
    print(f"GET /api/v1/routing-table.csv (whole country, in-process client): {http.show('s', 3)}")
    print(f"baseline, ZIP -> primary county + CSV: {base.show('s', 3)}")
    print(f"ratio to the baseline: mean {full.mean / base.mean:.1f}x, median {full.median / base.median:.1f}x, "
          f"p99 {full.p99 / base.p99:.1f}x")
    print(f"HTTP ratio to the baseline: median {http.median / base.median:.1f}x")
    ok = full.median <= TARGET_S and first <= TARGET_S and http.p99 <= TARGET_S
    print("target met" if ok else f"TARGET MISSED (want <= {TARGET_S} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
