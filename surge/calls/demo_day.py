"""A day of demo calls: an hourly curve, answers, abandons (some short) and overflows along the agreements.

Each UTC hour's calls come from a random generator seeded by (seed, center, hour), and call ids name the
hour, so running the demo again in the same hour stores nothing new, and a later run adds only the hours
since. Events after `day_end` are left out: those calls are still going on.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

import geo
from geo.zips import shares_by_zip
from surge.calls import intake
from surge.calls.models import CallEventKind
from surge.centers.models import Agreement, Center

CALLS_A_DAY_PER_SEAT = 10
MIN_CALLS_A_DAY = 200
# Share of a day's calls in each local hour: quiet nights, a morning climb, a long midday plateau.
HOURLY = (1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 11, 11, 10, 10, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
ANSWERED, ABANDONED = 0.80, 0.12  # the rest overflow to a partner (or abandon when there is none)
SHORT_SHARE = 0.3  # of abandons: hung up within seconds (a misdial, a change of mind)
LANGUAGES = (("en", 0.78), ("es", 0.18), ("vi", 0.04))


@cache
def _zips_by_county() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = defaultdict(list)
    for zip_code, shares in shares_by_zip().items():
        found[shares[0].county_fips].append(zip_code)
    return {county: tuple(sorted(zips)) for county, zips in found.items()}


def _caller(rng: random.Random, counties: list[str]) -> tuple[str | None, str | None]:
    zips = [z for county in counties for z in _zips_by_county().get(county, ())[:40]]
    if not zips or rng.random() < 0.05:
        return None, None  # some phone systems do not pass the caller's ZIP
    zip_code = rng.choice(zips)
    return zip_code, geo.zip_shares(zip_code)[0].county_fips


def _language(rng: random.Random) -> str:
    pick, total = rng.random(), 0.0
    for language, share in LANGUAGES:
        total += share
        if pick < total:
            return language
    return "en"


def _event(center: str, call_id: str, kind: CallEventKind, at: datetime, *, to_center=None, language=None,
           caller_zip=None, caller_county=None) -> dict:
    return {"center": center, "call_id": call_id, "event": kind.value, "at": at, "to_center": to_center,
            "language": language, "caller_zip": caller_zip, "caller_county": caller_county}


def _answered(rng, rows, center, call_id, offered, wait_mean_s):
    answered = offered + timedelta(seconds=round(rng.expovariate(1 / wait_mean_s), 1))
    rows.append(_event(center, call_id, CallEventKind.ANSWERED, answered))
    talk = round(max(30.0, rng.gauss(330, 120))) if rng.random() < 0.9 else 900  # a few long calls
    rows.append(_event(center, call_id, CallEventKind.ENDED, answered + timedelta(seconds=talk)))


def _hour(rng: random.Random, center: Center, partners: list[str], start: datetime, calls: int) -> list[dict]:
    rows: list[dict] = []
    stamp = start.strftime("%Y%m%d%H")
    for number in range(calls):
        call_id = f"demo-{stamp}-{number}"
        offered = start + timedelta(seconds=rng.uniform(0, 3600))
        language = _language(rng)
        caller_zip, county = _caller(rng, center.counties)
        rows.append(_event(center.slug, call_id, CallEventKind.OFFERED, offered, language=language,
                           caller_zip=caller_zip, caller_county=county))
        outcome = rng.random()
        if outcome < ANSWERED:
            _answered(rng, rows, center.slug, call_id, offered, wait_mean_s=35)
        elif outcome < ANSWERED + ABANDONED or not partners:
            wait = rng.uniform(0.5, 4.5) if rng.random() < SHORT_SHARE else rng.uniform(15, 400)
            rows.append(_event(center.slug, call_id, CallEventKind.ABANDONED, offered + timedelta(seconds=wait)))
        else:
            partner = partners[0] if rng.random() < 0.75 else rng.choice(partners)
            moved = offered + timedelta(seconds=rng.uniform(30, 180))
            rows.append(_event(center.slug, call_id, CallEventKind.OVERFLOWED, moved, to_center=partner))
            # The partner's phone system reports the same caller as its own call.
            their_id = f"demo-{stamp}-from-{center.slug}-{number}"
            rows.append(_event(partner, their_id, CallEventKind.OFFERED, moved, language=language,
                               caller_zip=caller_zip, caller_county=county))
            _answered(rng, rows, partner, their_id, moved, wait_mean_s=20)
    return rows


def generate_day(session: Session, *, centers: list[str], day_end: datetime, seed: int = 211) -> int:
    """Store the demo calls of the 24 UTC hours up to `day_end` (its own hour so far); how many were new."""
    last_hour = day_end.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
    found = {c.slug: c for c in session.exec(select(Center).where(Center.slug.in_(centers))).all()}
    agreements = session.exec(select(Agreement).order_by(Agreement.priority)).all()
    stored = 0
    for slug in centers:
        center = found.get(slug)
        if center is None:
            continue
        partners = [a.to_center for a in agreements if a.from_center == slug and a.to_center in found]
        daily = max(MIN_CALLS_A_DAY, center.seats * CALLS_A_DAY_PER_SEAT)
        zone = ZoneInfo(center.timezone)
        for back in range(23, -1, -1):
            start = last_hour - timedelta(hours=back)
            rng = random.Random(f"{seed}:{slug}:{start.isoformat()}")
            calls = round(daily * HOURLY[start.astimezone(zone).hour] / sum(HOURLY))
            rows = [row for row in _hour(rng, center, partners, start, calls) if row["at"] <= day_end]
            stored += intake.store(session, rows)
    return stored
