"""One routing decision in memory: median, mean and p99 in microseconds, on the demo network and on a
synthetic national network (one center per state, three agreements each).

Baseline, measured in the same run: `geo.locate_zip`, the bare lookup every route needs anyway.
Target: median ≤ 50 µs per decision.

    .venv/bin/python bench/routing_decision.py
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import geo  # noqa: E402
from figures import per_call_us  # noqa: E402
from national_network import as_rows  # noqa: E402

from surge.centers.models import Agreement, AgreementIn, Center, CenterIn  # noqa: E402
from surge.centers.triggers import Load, StalePolicy  # noqa: E402
from surge.demo_network import AGREEMENTS, CENTERS  # noqa: E402
from surge.kernel.validation import validate  # noqa: E402
from surge.routing.decide import LiveView, Need, decide  # noqa: E402
from surge.routing.plan import build_plan  # noqa: E402

TARGET_US = 50
CALLS = 50_000


def demo_rows() -> tuple[list[Center], list[Agreement]]:
    centers = []
    for body in CENTERS:
        data = validate(CenterIn, body)
        centers.append(Center(slug=data.slug, name=data.name, timezone=data.timezone, counties=data.counties, zips=[],
                              area_counties=[], languages=data.languages, tty=data.tty, hours=data.hours,
                              closures=data.stored_closures(), active=True))
    agreements = []
    for i, body in enumerate(AGREEMENTS, start=1):
        data = validate(AgreementIn, body)
        agreements.append(Agreement(id=i, from_center=data.from_, to_center=data.to, priority=data.priority,
                                    counties=data.counties, languages=data.languages, triggers=data.triggers.stored(),
                                    max_calls_per_hour=data.max_calls_per_hour, disaster_only=data.disaster_only))
    return centers, agreements


def workload(centers: list[Center], rng: random.Random):
    """Calls spread over the network's ZIPs, hours of the week, languages and live loads."""
    counties = sorted({fips for c in centers for fips in c.counties})
    county_set = set(counties)
    zips = [z for z, shares in geo.zips.shares_by_zip().items() if shares[0].county_fips in county_set]
    now = datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc)
    loads = {c.slug: Load(rng.randint(0, 40), rng.randint(0, 400), rng.randint(0, 5), 5, None,
                          now - timedelta(seconds=rng.randint(0, 600))) for c in centers}
    view = LiveView(loads=loads, stale_after=timedelta(seconds=300), policy=StalePolicy.UNKNOWN)
    calls = []
    for _ in range(CALLS):
        zip_code = rng.choice(zips)
        county = geo.zips.shares_by_zip()[zip_code][0].county_fips
        need = Need(rng.choice([None, None, "es", "vi"]), rng.random() < 0.02)
        calls.append((zip_code, county, need, now + timedelta(minutes=rng.randint(0, 7 * 24 * 60))))
    return view, calls


def measure(name: str, centers, agreements) -> bool:
    rng = random.Random(211)
    plan = build_plan(centers, agreements)
    view, calls = workload(centers, rng)
    geo.locate_zip("77002")
    baseline = per_call_us(geo.locate_zip, [(zip_code,) for zip_code, *_ in calls])
    decided = per_call_us(lambda z, c, n, at: decide(plan, c, z, n, at, view), calls)
    print(f"\n{name}: {len(plan.centers)} centers, {sum(map(len, plan.agreements_from.values()))} agreements, "
          f"{len(calls):,} calls")
    print(f"  decide()            {decided.show('µs')}")
    print(f"  geo.locate_zip      {baseline.show('µs')}  (baseline)")
    print(f"  decide / locate_zip: median {decided.median / baseline.median:.2f}x, mean "
          f"{decided.mean / baseline.mean:.2f}x, p99 {decided.p99 / baseline.p99:.2f}x")
    ok = decided.median <= TARGET_US
    print(f"  target median ≤ {TARGET_US} µs: {'met' if ok else 'MISSED'} ({decided.median:.1f} µs)")
    return ok


def main() -> int:
    ok = measure("demo network", *demo_rows())
    ok = measure("synthetic national network", *as_rows()) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
