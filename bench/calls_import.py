"""Call-event import rate: `surge.calls.intake.receive` against a bare executemany INSERT of the same rows.

Both store the same events in chunks of 5,000, one transaction per chunk, into an emptied table. Ours
checks each event (pydantic, centers, the caller's county from the ZIP) and inserts with ON CONFLICT DO
NOTHING, counting the new rows; the baseline inserts ready-made rows with SQLAlchemy Core's executemany
and checks nothing. Rounds alternate, so both see the same machine. Prints events/s, the mean, median and
p99 time per chunk, and the ratios; exits 1 if ours stays under 20,000 events/s.

    .venv/bin/python bench/calls_import.py                      # SQLite, in a temporary folder
    .venv/bin/python bench/calls_import.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
        # creates (and drops) its own database surge_bench_calls_import on that server
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from pg_scratch import scratch_database  # noqa: E402
from surge.access.principal import system  # noqa: E402
from surge.calls import intake  # noqa: E402
from surge.calls.models import CallEvent  # noqa: E402
from surge.centers import registry  # noqa: E402
from surge.centers.models import CenterIn  # noqa: E402
from surge.kernel.db import make_engine, run_in_transaction  # noqa: E402
from surge.kernel.validation import validate  # noqa: E402
from surge.schema import upgrade  # noqa: E402

TARGET = 20_000
CHUNK = 5_000
ACTOR = system("bench")
KINDS = ("offered", "answered", "ended")
ZIPS = ("77002", "77003", "77004", "77005", "77006", "77007", "77008", "77009")


def events(count: int) -> list[dict]:
    """What a phone system posts: three events a call, ISO times with offsets, a ZIP on the offer."""
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    found = []
    for i in range(count):
        call, kind = divmod(i, 3)
        event = {"center": "houston-211", "call_id": f"bench-{call}", "event": KINDS[kind],
                 "at": (start + timedelta(seconds=call * 7 + kind * 40)).isoformat()}
        if kind == 0:
            event.update(caller_zip=ZIPS[call % len(ZIPS)], language="en")
        found.append(event)
    return found


def ready_rows(raw: list[dict]) -> list[dict]:
    """The baseline's rows: already parsed, every column given."""
    return [{"center": e["center"], "call_id": e["call_id"], "event": e["event"],
             "at": datetime.fromisoformat(e["at"]), "to_center": None, "language": e.get("language"),
             "caller_zip": e.get("caller_zip"), "caller_county": "48201" if e.get("caller_zip") else None}
            for e in raw]


def empty(engine) -> None:
    with engine.begin() as conn:
        conn.execute(CallEvent.__table__.delete())


def run_ours(engine, raw: list[dict]) -> list[float]:
    times = []
    checker = run_in_transaction(engine, lambda session: intake.Checker(session, actor=ACTOR))
    for start in range(0, len(raw), CHUNK):
        began = time.perf_counter()
        done = run_in_transaction(engine, intake.receive, events=raw[start:start + CHUNK], actor=ACTOR,
                                  checker=checker)
        times.append(time.perf_counter() - began)
        assert not done.rejected and done.stored == len(raw[start:start + CHUNK]), done.rejected[:3]
    return times


def run_bare(engine, rows: list[dict]) -> list[float]:
    times = []
    insert = CallEvent.__table__.insert()
    for start in range(0, len(rows), CHUNK):
        began = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(insert, rows[start:start + CHUNK])
        times.append(time.perf_counter() - began)
    return times


def describe(name: str, count: int, rounds: list[list[float]]) -> float:
    totals = [sum(r) for r in rounds]
    chunks = sorted(t * 1000 for r in rounds for t in r)
    rate = count / statistics.median(totals)
    p99 = chunks[min(len(chunks) - 1, int(len(chunks) * 0.99))]
    print(f"  {name:<34} {rate:>9,.0f} events/s   per chunk of {CHUNK:,}: mean {statistics.mean(chunks):.1f} ms, "
          f"median {statistics.median(chunks):.1f} ms, p99 {p99:.1f} ms")
    return rate


def bench(url: str, label: str, count: int, rounds: int) -> bool:
    upgrade(url)
    engine = make_engine(url)
    try:
        for slug in ("houston-211",):
            if not run_in_transaction(engine, registry.exists, slug=slug):
                run_in_transaction(engine, registry.create, actor=ACTOR, data=validate(CenterIn, {
                    "slug": slug, "name": slug, "timezone": "America/Chicago", "counties": ["48201"]}))
        raw = events(count)
        rows = ready_rows(raw)
        import geo
        geo.zip_shares("77002")  # the server warms the ZIP table at start-up; so does the bench
        ours, bare = [], []
        for _ in range(rounds):
            empty(engine)
            bare.append(run_bare(engine, rows))
            empty(engine)
            ours.append(run_ours(engine, raw))
        replay_began = time.perf_counter()
        replay = run_in_transaction(engine, intake.receive, events=raw[:CHUNK], actor=ACTOR)
        replay_s = time.perf_counter() - replay_began
        empty(engine)
    finally:
        engine.dispose()
    print(f"{label}: {count:,} events, median of {rounds} alternating rounds")
    base = describe("bare executemany INSERT (baseline)", count, bare)
    mine = describe("intake.receive (checked, idempotent)", count, ours)
    print(f"  ratio to the baseline: {mine / base:.2f}; a replayed chunk: {CHUNK / replay_s:,.0f} events/s, "
          f"{replay.duplicates:,} duplicates, {replay.stored} stored")
    ok = mine >= TARGET
    print(f"  target >= {TARGET:,} events/s: {'met' if ok else 'MISSED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=60_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", help="a PostgreSQL server URL; the bench makes its own database there")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    ok = True
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            ok &= bench(f"sqlite:///{folder}/bench.db", "SQLite", args.events, args.rounds)
    if args.postgres:
        with scratch_database(args.postgres, "surge_bench_calls_import") as url:
            if url is not None:
                ok &= bench(url, "PostgreSQL", args.events, args.rounds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
