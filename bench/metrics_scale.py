"""Network call figures over 100k, 1M and 3M call events on PostgreSQL, against `select count(*)` and DuckDB.

Makes its own database (surge_bench_metrics) on the PostgreSQL server given, migrates it, loads the demo
network's eight centers, then grows `call_events` by COPY to each size in turn: a month of calls spread
over the centers, about three events a call (answers, abandons, overflows, callers' counties). At each
size it times, alternating, the network figures (`surge.calls.metrics.tally`, the whole month) and a bare
`select count(*) from call_events`, and prints the mean, median and p99 of each and their ratio (target:
figures within 3x of the count). With DuckDB installed (`.venv/bin/pip install -e ".[bench]"`), the same
statement also runs in DuckDB over the same rows (exported as CSV), and both answers must agree.

    .venv/bin/python bench/metrics_scale.py                                   # 100k,1M,3M on 127.0.0.1
    .venv/bin/python bench/metrics_scale.py --sizes 100000,300000 --runs 3
    .venv/bin/python bench/metrics_scale.py --postgres postgresql+psycopg://postgres@db:5432/postgres
"""

from __future__ import annotations

import argparse
import math
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from call_load import COLUMNS, grow_calls  # noqa: E402
from pg_scratch import DEFAULT_SERVER, scratch_database  # noqa: E402

from surge.access.principal import system  # noqa: E402
from surge.calls import metrics  # noqa: E402
from surge.demo_network import CENTERS, load_network  # noqa: E402
from surge.kernel.db import make_engine, run_in_transaction, unit_of_work  # noqa: E402
from surge.schema import upgrade  # noqa: E402

DATABASE = "surge_bench_metrics"
TARGET_RATIO = 3.0
TARGET_SIZE = 1_000_000  # the target is named at a million events; smaller tables show the growth
START = datetime(2026, 10, 1, tzinfo=timezone.utc)
DAYS = 30
THRESHOLDS = {"short_abandon_s": 5, "service_level_s": 60}
COUNTIES_BY_CENTER = {center["slug"]: center["counties"] for center in CENTERS}


def timed(work, runs: int) -> tuple[list[float], object]:
    work()  # one warm-up, so both start from a warm cache
    times, answer = [], None
    for _ in range(runs):
        began = time.perf_counter()
        answer = work()
        times.append(time.perf_counter() - began)
    return times, answer


def summary(times: list[float]) -> str:
    ordered = sorted(t * 1000 for t in times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"mean {statistics.mean(ordered):8.1f} ms  median {statistics.median(ordered):8.1f} ms  p99 {p99:8.1f} ms"


# Each call's events grouped, as the summaries hold them: DuckDB works from the raw events.
GROUPED = """WITH call_summaries AS (
  SELECT center, call_id,
         MIN(CASE WHEN event = 'offered' THEN at END) AS offered_at,
         MIN(CASE WHEN event = 'answered' THEN at END) AS answered_at,
         MIN(CASE WHEN event = 'abandoned' THEN at END) AS abandoned_at,
         MAX(CASE WHEN event = 'ended' THEN at END) AS ended_at,
         MAX(to_center) AS to_center, MAX(caller_county) AS caller_county
  FROM call_events GROUP BY center, call_id
), """


def duckdb_statement(region: list[str], homes: list[tuple[str, str]]) -> str:
    """The figures from the raw events, by the definition: group each call's events (as the summaries
    do), then our statement over them, its parameters written in. DuckDB speaks the same SQL here."""
    def listed(values):
        return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"

    values = {"start": f"TIMESTAMPTZ '{START.isoformat()}'",
              "end": f"TIMESTAMPTZ '{(START + timedelta(days=DAYS)).isoformat()}'",
              "short_s": str(THRESHOLDS["short_abandon_s"]), "level_s": str(THRESHOLDS["service_level_s"]),
              "region": listed(region), "homes": listed([f"{c}:{s}" for c, s in homes])}
    sql = GROUPED + metrics.figures_sql("postgresql", center=None).lstrip().removeprefix("WITH ")
    sql = re.sub(r":(\w+)", lambda m: values.get(m.group(1), m.group(0)), sql)
    return re.sub(r"\bat\b", '"at"', sql)  # a keyword in DuckDB


def duckdb_runner(engine, region, homes):
    try:
        import duckdb
    except ImportError:
        print("  DuckDB: not installed (.venv/bin/pip install -e \".[bench]\"); its comparison is skipped")
        return None
    folder = tempfile.mkdtemp(prefix="surge-bench-")
    path = Path(folder) / "call_events.csv"
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor, path.open("wb") as out:
            with cursor.copy(f"COPY (SELECT {', '.join(COLUMNS)} FROM call_events) TO STDOUT "
                             "WITH (FORMAT csv, HEADER)") as copy:
                for block in copy:
                    out.write(block)
    finally:
        raw.close()
    db = duckdb.connect()
    db.execute("SET TimeZone = 'UTC'")
    db.execute(f"CREATE TABLE call_events AS SELECT * FROM read_csv('{path}', header=true, "
               "columns={'center': 'VARCHAR', 'call_id': 'VARCHAR', 'event': 'VARCHAR', 'at': 'TIMESTAMPTZ', "
               "'to_center': 'VARCHAR', 'language': 'VARCHAR', 'caller_zip': 'VARCHAR', 'caller_county': 'VARCHAR'})")
    path.unlink()
    statement = duckdb_statement(region, homes)

    def run():
        return db.execute(statement).fetchone()

    return run


def bench(url: str, sizes: list[int], runs: int) -> bool:
    upgrade(url)
    engine = make_engine(url)
    actor = system("bench")
    ok = True
    try:
        run_in_transaction(engine, load_network, actor=actor)
        with unit_of_work(engine) as session:
            homes = metrics.home_centers(session)
        region = sorted({county for county, _ in homes})
        end = START + timedelta(days=DAYS)
        rng = random.Random(211)
        have, next_call, previous = 0, 0, 0
        print(f"PostgreSQL, network figures over {DAYS} days vs select count(*); {runs} runs each after a warm-up")
        for size in sizes:
            have, next_call, load_s, summary_s = grow_calls(engine, have=have, want=size, next_call=next_call, rng=rng,
                                                            counties_by_center=COUNTIES_BY_CENTER, start=START,
                                                            days=DAYS)

            def ours():
                with unit_of_work(engine) as session:
                    return metrics.tally(session, start=START, end=end, center=None, region=region, homes=homes,
                                         **THRESHOLDS)

            def count():
                with engine.connect() as conn:
                    return conn.execute(text("SELECT count(*) FROM call_events")).scalar_one()

            our_times, tally = timed(ours, runs)
            count_times, counted = timed(count, runs)
            ratio = statistics.median(our_times) / statistics.median(count_times)
            print(f"\n{have:,} events ({(size - previous) / load_s:,.0f} rows/s loaded by COPY in {load_s:.1f} s; "
                  f"call summaries rebuilt in {summary_s:.1f} s), {tally.offered:,} calls offered")
            previous = have
            print(f"  select count(*)   {summary(count_times)}")
            print(f"  network figures   {summary(our_times)}   ratio to count(*): {ratio:.2f}")
            if size >= TARGET_SIZE:
                ok &= ratio <= TARGET_RATIO
            duck = duckdb_runner(engine, region, homes)
            if duck is not None:
                duck_times, answer = timed(duck, runs)
                same = all(math.isclose(float(theirs), float(mine), rel_tol=1e-9)
                           for theirs, mine in zip(answer, tally.__dict__.values(), strict=True))
                print(f"  DuckDB, same SQL  {summary(duck_times)}   ours / DuckDB: "
                      f"{statistics.median(our_times) / statistics.median(duck_times):.2f}; "
                      f"same figures: {'yes' if same else 'NO'}")
                ok &= same
    finally:
        engine.dispose()
    print(f"\ntarget: network figures within {TARGET_RATIO:g}x of count(*) from {TARGET_SIZE:,} events up: "
          f"{'met' if ok else 'MISSED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=DEFAULT_SERVER,
                        help="a PostgreSQL server URL; the bench makes (and drops) its own database there")
    parser.add_argument("--sizes", default="100000,1000000,3000000", help="comma-separated event counts, growing")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    with scratch_database(args.postgres, DATABASE, keep=args.keep) as url:
        if url is None:
            return 0
        return 0 if bench(url, sizes, args.runs) else 1


if __name__ == "__main__":
    sys.exit(main())
