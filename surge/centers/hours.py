"""Opening hours: "24/7" or a weekly schedule in the center's own time zone, less its closures.

Pure functions over plain values, so that routing can ask "open at this instant?" millions of times
without the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALWAYS = "24/7"
END_OF_DAY = time(23, 59, 59, 999999)


def parse_clock(text: str) -> time:
    """"08:00" -> 08:00; "24:00" means the end of the day."""
    hours, _, minutes = text.partition(":")
    if len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError(text)
    h, m = int(hours), int(minutes)
    if (h, m) == (24, 0):
        return END_OF_DAY
    return time(h, m)  # raises ValueError past 23:59


@dataclass(frozen=True)
class Closure:
    """Closed from `start` to `end` (aware datetimes); a whole-day closure is kept as its date in the center's zone."""

    day: date | None = None
    start: datetime | None = None
    end: datetime | None = None

    def covers(self, local: datetime) -> bool:
        if self.day is not None:
            return local.date() == self.day
        return self.start <= local < self.end


@dataclass(frozen=True)
class Hours:
    """A center's week. `week` is None for "24/7"; otherwise 7 lists of (open, close) local times, Monday first."""

    zone: ZoneInfo
    week: tuple[tuple[tuple[time, time], ...], ...] | None
    closures: tuple[Closure, ...] = ()

    def scheduled_open(self, at: datetime) -> bool:
        """Open by the weekly schedule alone (closures not counted)."""
        if self.week is None:
            return True
        local = at.astimezone(self.zone)
        now = local.time().replace(tzinfo=None)
        return any(start <= now < end or (end == END_OF_DAY and now >= start)
                   for start, end in self.week[local.weekday()])

    def closed_for(self, at: datetime) -> bool:
        if not self.closures:
            return False
        local = at.astimezone(self.zone)
        return any(closure.covers(local) for closure in self.closures)

    def open_at(self, at: datetime) -> bool:
        return self.scheduled_open(at) and not self.closed_for(at)


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def compile_hours(timezone: str, hours: str | dict[str, list[list[str]]], closures: list) -> Hours:
    """Hours from their stored form (already validated by the input model)."""
    tz = zone(timezone)
    week = None
    if hours != ALWAYS:
        week = tuple(tuple((parse_clock(a), parse_clock(b)) for a, b in hours.get(day, [])) for day in DAYS)
    compiled = []
    for closure in closures:
        if isinstance(closure, str):
            compiled.append(Closure(day=date.fromisoformat(closure)))
        else:
            compiled.append(Closure(start=datetime.fromisoformat(closure["from"]).astimezone(tz),
                                    end=datetime.fromisoformat(closure["to"]).astimezone(tz)))
    return Hours(tz, week, tuple(compiled))


def hours_of_week_open(hours: Hours, week_start: datetime) -> list[bool]:
    """168 flags, one per hour from `week_start` (an aware datetime): open at the start of that hour."""
    return [hours.open_at(week_start + timedelta(hours=h)) for h in range(168)]
