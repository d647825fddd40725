"""Operational periods: pure arithmetic over a schedule's rule, no database.

Fixed periods are counted in the schedule's local wall clock, so a 12-hour period from 07:00 ends at 07:00
and 19:00 local on either side of a daylight-saving change (one such period lasts 11 or 13 hours). A cron
schedule's periods run from one fire time to the next. Every call returns at most `limit` periods, so a far
`until` cannot run forever.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from surge.briefs.schemas import cron_trigger

MAX_PERIODS = 1000
# How far back to look for the fire time before a cron period's end: growing steps, up to four years (Feb 29).
_CRON_LOOKBACK = (timedelta(hours=1), timedelta(days=1), timedelta(days=8), timedelta(days=32),
                  timedelta(days=400), timedelta(days=1500))


@dataclass(frozen=True)
class Rule:
    """What `periods` needs of a schedule: fixed hours from a local start, or a cron expression."""

    timezone: str
    hours: int | None = None
    start: datetime | None = None  # naive, local wall clock
    cron: str | None = None


@dataclass(frozen=True)
class Period:
    start: datetime  # UTC
    end: datetime  # UTC


def periods(rule: Rule, *, after: datetime, until: datetime, limit: int = MAX_PERIODS) -> list[Period]:
    """The periods whose end falls in (after, until], oldest first, at most `limit` of them."""
    if until <= after or limit <= 0:
        return []
    if rule.cron is not None:
        return _cron_periods(rule, after, until, limit)
    return _fixed_periods(rule, after, until, limit)


def next_end(rule: Rule, *, now: datetime) -> datetime | None:
    """When the period running at `now` ends: the next scheduled brief."""
    running = current(rule, now=now)
    return running.end if running else None


def _utc(local: datetime, zone: ZoneInfo) -> datetime:
    return local.replace(tzinfo=zone).astimezone(timezone.utc)


def _fixed_periods(rule: Rule, after: datetime, until: datetime, limit: int) -> list[Period]:
    zone, step = ZoneInfo(rule.timezone), timedelta(hours=rule.hours)
    after_local = after.astimezone(zone).replace(tzinfo=None)
    # Start two periods early: wall-clock and real hours differ by at most the DST shift.
    k = math.floor((after_local - rule.start) / step) - 2
    found: list[Period] = []
    while len(found) < limit:
        start, end = _utc(rule.start + k * step, zone), _utc(rule.start + (k + 1) * step, zone)
        k += 1
        if end <= after:
            continue
        if end > until:
            break
        found.append(Period(start, end))
    return found


def _cron_periods(rule: Rule, after: datetime, until: datetime, limit: int) -> list[Period]:
    fire_after = _fires(rule)
    end = fire_after(after)
    if end is None or end > until:
        return []
    start = _fire_before(fire_after, end)
    found: list[Period] = []
    while end is not None and end <= until and len(found) < limit:
        found.append(Period(start, end))
        start, end = end, fire_after(end)
    return found


def _fires(rule: Rule):
    """The cron rule's first fire time strictly after a moment (None when it never fires again)."""
    trigger = cron_trigger(rule.cron, rule.timezone)

    def fire_after(moment: datetime) -> datetime | None:
        fire = trigger.get_next_fire_time(None, moment + timedelta(microseconds=1))
        return None if fire is None else fire.astimezone(timezone.utc)

    return fire_after


def _fire_before(fire_after, end: datetime) -> datetime:
    """The last fire time before `end` (or four years back when the expression fires more rarely)."""
    for back in _CRON_LOOKBACK:
        fire = fire_after(end - back - timedelta(microseconds=1))
        if fire is not None and fire < end:
            while True:
                following = fire_after(fire)
                if following is None or following >= end:
                    return fire
                fire = following
    return end - _CRON_LOOKBACK[-1]


def latest(rule: Rule, *, after: datetime, until: datetime) -> Period | None:
    """The last period whose end falls in (after, until]: what a schedule without catch-up produces."""
    if until <= after:
        return None
    if rule.cron is None:
        # A period is at most `hours` wall-clock hours, plus a daylight-saving hour: look back a little more.
        recent = _fixed_periods(rule, max(after, until - timedelta(hours=rule.hours + 2)), until, MAX_PERIODS)
        return recent[-1] if recent else None
    fire_after = _fires(rule)
    end = _fire_before(fire_after, until + timedelta(seconds=1))
    if end <= after or end > until:
        return None
    return Period(_fire_before(fire_after, end), end)


def current(rule: Rule, *, now: datetime) -> Period | None:
    """The period running at `now`."""
    found = periods(rule, after=now, until=now + timedelta(days=1500), limit=1)
    return found[0] if found else None
