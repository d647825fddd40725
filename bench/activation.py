"""Activation cost: `lifecycle.activate` (linkages and outbox notices, one committed transaction) against
the bare insert of the same rows.

About 50 clearinghouses across Texas, each with two e-mail addresses, a webhook and a hurricane protocol;
incidents over 10 counties, all 254 Texas counties, and 1,000 counties (Texas and its neighbours'). Each
run activates a freshly drafted incident (made outside the timing), so every run links and tells from
scratch. The baseline, run alternately in the same process, is what any implementation pays: one
transaction inserting the same linkage rows and outbox rows, one executemany INSERT each. Prints the
median, mean and p99 ms and the ratio of the medians; exits 1 if the 254-county median passes 1 s.

    .venv/bin/python bench/activation.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
        # creates (and drops) its own database on that server
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import func, insert, select

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from pg_scratch import DEFAULT_SERVER, scratch_database  # noqa: E402

import geo  # noqa: E402
from clearinghouse import registry  # noqa: E402
from clearinghouse.models import ClearinghouseIn  # noqa: E402
from surge.access.principal import system  # noqa: E402
from surge.incidents import areas, lifecycle  # noqa: E402
from surge.incidents.linkage_models import IncidentLinkage  # noqa: E402
from surge.incidents.models import IncidentIn  # noqa: E402
from surge.kernel.db import make_engine, run_in_transaction, unit_of_work  # noqa: E402
from surge.kernel.validation import validate  # noqa: E402
from surge.outbox.models import OutboxMessage  # noqa: E402
from surge.schema import upgrade  # noqa: E402

ACTOR = system("bench")
CLEARINGHOUSES = 50
TARGET_MS = 1000.0
TEXAS = sorted(county.fips for county in geo.all_counties() if county.fips.startswith("48"))
NEIGHBOURS = sorted(county.fips for county in geo.all_counties() if county.state in ("OK", "LA", "AR", "NM", "KS"))


def make_clearinghouses(engine) -> None:
    """Texas cut into 50 service areas of five or six counties, each overlapping the next by one."""
    step = len(TEXAS) / CLEARINGHOUSES
    for i in range(CLEARINGHOUSES):
        start = int(i * step)
        counties = TEXAS[start:int((i + 1) * step) + 1]
        body = {"slug": f"bench-ch-{i:02d}", "name": f"Bench clearinghouse {i}", "kind": "volunteer_center",
                "counties": counties, "location": {"zip": "77002"},
                "accepts": {"skills": ["debris_removal", "muck_out"], "donation_categories": ["water"]},
                "delivery": {"emails": [f"duty{i}@example.org", f"backup{i}@example.org"],
                             "webhook_url": f"https://hooks.example.org/{i}", "webhook_secret": "s" * 24},
                "protocols": [{"incident_types": ["Hurricane", "Flood"], "ack_hours": 12}]}
        run_in_transaction(engine, registry.create, data=validate(ClearinghouseIn, body), actor=ACTOR.actor)


def draft(engine, slug: str, counties: list[str], resolved: dict) -> None:
    data = validate(IncidentIn, {"slug": slug, "name": f"Bench hurricane {slug}", "type": "Hurricane",
                                 "level": 3, "area": {"counties": counties}})
    if len(counties) not in resolved:
        resolved[len(counties)] = areas.resolve(data.area, actor=ACTOR)
    area, found = resolved[len(counties)]
    run_in_transaction(engine, lifecycle.create, data=data, area=area, counties=found, actor=ACTOR)


def activate(engine, slug: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    run_in_transaction(engine, lifecycle.activate, slug=slug, reason="bench", actor=ACTOR,
                       now=datetime.now(timezone.utc))
    elapsed = (time.perf_counter() - start) * 1000
    with unit_of_work(engine) as session:
        links = session.execute(select(func.count()).select_from(IncidentLinkage)
                                .where(IncidentLinkage.incident_slug == slug)).scalar_one()
        messages = session.execute(select(func.count()).select_from(OutboxMessage)
                                   .where(OutboxMessage.key.startswith(f"incident:{slug}:"))).scalar_one()
    return elapsed, links, messages


def baseline(engine, slug: str, links: list[dict], messages: list[dict]) -> float:
    """The same rows, ready-made, in one transaction: one executemany INSERT for each table."""
    link_rows = [{**row, "incident_slug": slug} for row in links]
    outbox_rows = [{**row, "key": f"base:{slug}:{row['key']}"} for row in messages]
    start = time.perf_counter()
    with unit_of_work(engine) as session:
        session.execute(insert(IncidentLinkage), link_rows)
        session.execute(insert(OutboxMessage), outbox_rows)
    return (time.perf_counter() - start) * 1000


def rows_of(engine, slug: str) -> tuple[list[dict], list[dict]]:
    """What an activation wrote, as rows the baseline can insert again."""
    with unit_of_work(engine) as session:
        links = [{"clearinghouse_slug": l.clearinghouse_slug, "state": l.state, "source": l.source,
                  "protocol_id": l.protocol_id, "changed_at": l.changed_at, "changed_by": l.changed_by,
                  "reason": l.reason}
                 for l in session.exec(select(IncidentLinkage).where(IncidentLinkage.incident_slug == slug))
                 .scalars()]
        messages = [{"key": m.key, "channel": m.channel, "topic": m.topic, "recipient": m.recipient,
                     "clearinghouse_slug": m.clearinghouse_slug, "subject": m.subject, "body": m.body,
                     "state": m.state, "attempts": 0, "next_attempt_at": m.next_attempt_at,
                     "created_at": m.created_at}
                    for m in session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith(f"incident:{slug}:")))
                    .scalars()]
    return links, messages


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def bench(url: str, runs: int) -> bool:
    upgrade(url)
    engine = make_engine(url)
    make_clearinghouses(engine)
    sizes = {10: TEXAS[:10], 254: TEXAS, 1000: (TEXAS + NEIGHBOURS)[:1000]}
    resolved: dict = {}
    ok = True
    print(f"{CLEARINGHOUSES} clearinghouses, each 2 e-mails + 1 webhook; {runs} runs per size, alternating")
    print("counties | linked | outbox rows | ours median / mean / p99 ms | baseline median / mean / p99 ms | ratio")
    for size, counties in sizes.items():
        ours, base = [], []
        for run in range(runs + 1):  # the first is a warm-up
            slug = f"bench-{size}-{run}"
            draft(engine, slug, counties, resolved)
            elapsed, links, messages = activate(engine, slug)
            link_rows, outbox_rows = rows_of(engine, slug)
            base_slug = f"base-{size}-{run}"
            draft(engine, base_slug, counties, resolved)
            baseline_ms = baseline(engine, base_slug, link_rows, outbox_rows)
            if run:
                ours.append(elapsed)
                base.append(baseline_ms)
            # Stand it down, so the next run starts from a fresh incident as a real one would.
            run_in_transaction(engine, lifecycle.stand_down, slug=slug, reason="bench", actor=ACTOR,
                               now=datetime.now(timezone.utc))
        ratio = statistics.median(ours) / statistics.median(base)
        print(f"{size:>8} | {links:>6} | {messages:>11} | {statistics.median(ours):7.1f} / "
              f"{statistics.mean(ours):7.1f} / {p99(ours):7.1f} | {statistics.median(base):6.1f} / "
              f"{statistics.mean(base):6.1f} / {p99(base):6.1f} | {ratio:5.2f}")
        if size == 254 and statistics.median(ours) > TARGET_MS:
            print(f"254 counties: median {statistics.median(ours):.0f} ms is over the {TARGET_MS:.0f} ms target")
            ok = False
    engine.dispose()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=DEFAULT_SERVER,
                        help="a PostgreSQL server URL; the bench makes its own database there")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with scratch_database(args.postgres, f"surge_bench_activation_{os.getpid()}") as url:
        if url is None:
            return 0
        ok = bench(url, args.runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
