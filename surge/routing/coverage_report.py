"""The coverage report: where the network leaves callers without a center, by place and by hour of the week.

For the counties of one state (or of every state), from the active centers and their agreements:

- **without a home**: no active center names the county in `counties` or covers it with its drawn area
  (centers that name some of its ZIP codes are listed with it, as they cover part of it);
- **without overflow**: the county's home center has no standing agreement that applies to the county
  (standing: not disaster-only, not limited to some languages, valid at `at`);
- **uncovered hours**: the hours of the week, Monday 00:00 to Sunday 23:00 in the home center's time zone
  (UTC for a county without a home), when neither the home center nor any target of its standing
  agreements for the county is open by its weekly schedule. Each hour is judged at its start, in the week
  that holds `at` (so daylight-saving shifts between zones count as they are that week); one-day
  closures are left out, as they are not part of the standing week;
- **overlaps**: counties that more than one active center covers, home first.

The home center is the one routing picks (`surge.routing.plan`): named county before drawn area, then the
lower slug. The national fallback is shown but not counted as coverage.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from sqlmodel import Session

import geo
from geo.zips import shares_by_zip
from surge.access import permissions
from surge.access.principal import Principal
from surge.centers.hours import DAYS
from surge.centers.permissions import READ_NETWORK
from surge.routing.plan import CenterPlan, Plan, load_plan
from surge.routing.table import parse_state, require_aware

HOURS_A_WEEK = 168
UTC = ZoneInfo("UTC")


class HourRange(BaseModel):
    from_: str = Field(serialization_alias="from", description='first uncovered hour, e.g. "mon 18:00"')
    to: str = Field(description='end of the range (exclusive), e.g. "tue 08:00"; "sun 24:00" is the week\'s end')


class CountyNoHome(BaseModel):
    county_fips: str
    name: str
    state: str
    zip_centers: list[str] = Field(description="centers that name some of the county's ZIP codes")


class CountyNoOverflow(BaseModel):
    county_fips: str
    name: str
    home: str


class CountyHours(BaseModel):
    county_fips: str
    name: str
    home: str | None
    timezone: str = Field(description="the home center's time zone, or UTC for a county without a home")
    hours: int = Field(description="uncovered hours of the week's 168")
    ranges: list[HourRange]


class CountyOverlap(BaseModel):
    county_fips: str
    name: str
    centers: list[str] = Field(description="the covering centers, home first")


class CoverageReport(BaseModel):
    state: str | None
    at: datetime
    counties: int = Field(description="counties in the report")
    national_fallback: str | None = Field(description="shown for reference; not counted as coverage")
    without_home: list[CountyNoHome]
    without_overflow: list[CountyNoOverflow]
    uncovered_hours: list[CountyHours]
    overlaps: list[CountyOverlap]


def _label(hour: int) -> str:
    if hour == HOURS_A_WEEK:
        return "sun 24:00"
    return f"{DAYS[hour // 24]} {hour % 24:02d}:00"


def hour_ranges(closed: list[bool]) -> list[HourRange]:
    """Runs of True in 168 hourly flags, as labelled ranges."""
    return list(_ranges(tuple(closed)))


@lru_cache(maxsize=256)
def _ranges(closed: tuple[bool, ...]) -> tuple[HourRange, ...]:
    ranges, start = [], None
    for hour, flag in enumerate([*closed, False]):
        if flag and start is None:
            start = hour
        elif not flag and start is not None:
            ranges.append(HourRange(from_=_label(start), to=_label(hour)))
            start = None
    return tuple(ranges)


def week_hours(zone: ZoneInfo, at: datetime) -> list[datetime]:
    """The starts of the 168 wall-clock hours of the week holding `at`, Monday 00:00 first, in `zone`."""
    local = at.astimezone(zone)
    monday = (local - timedelta(days=local.weekday())).date()
    return [datetime(monday.year, monday.month, monday.day, tzinfo=zone) + timedelta(days=h // 24, hours=h % 24)
            for h in range(HOURS_A_WEEK)]


def uncovered(centers: list[CenterPlan], hours: list[datetime]) -> list[bool]:
    """For each hour: True when none of the centers is open by its weekly schedule."""
    return [not any(center.hours.scheduled_open(moment) for center in centers) for moment in hours]


def _partners(network: Plan, home: CenterPlan, county_fips: str, at: datetime) -> list[str]:
    targets = []
    for agreement in network.agreements_from.get(home.slug, ()):
        if agreement.standing and agreement.applies(county_fips, None, at, frozenset()):
            if agreement.to_center not in targets:
                targets.append(agreement.to_center)
    return targets


def build_report(network: Plan, *, counties: list[geo.County], at: datetime, state: str | None,
                 national_fallback: str | None) -> CoverageReport:
    """The report over plain data (see the module's definitions)."""
    zip_centers: dict[str, set[str]] = {}
    shares = shares_by_zip()
    for center in network.centers.values():
        for zip_code in center.zips:
            if zip_code in shares:
                zip_centers.setdefault(shares[zip_code][0].county_fips, set()).add(center.slug)
    weeks: dict[str, list[datetime]] = {}
    flags_for: dict[tuple[str, tuple[str, ...]], list[bool]] = {}
    report = CoverageReport(state=state, at=at, counties=len(counties), national_fallback=national_fallback or None,
                            without_home=[], without_overflow=[], uncovered_hours=[], overlaps=[])
    for county in counties:
        homes = network.homes(county.fips)
        if len(homes) > 1:
            report.overlaps.append(CountyOverlap(county_fips=county.fips, name=county.name, centers=list(homes)))
        if not homes:
            report.without_home.append(CountyNoHome(county_fips=county.fips, name=county.name, state=county.state,
                                                    zip_centers=sorted(zip_centers.get(county.fips, ()))))
            report.uncovered_hours.append(CountyHours(
                county_fips=county.fips, name=county.name, home=None, timezone="UTC", hours=HOURS_A_WEEK,
                ranges=hour_ranges([True] * HOURS_A_WEEK)))
            continue
        home = network.centers[homes[0]]
        partners = _partners(network, home, county.fips, at)
        if not partners:
            report.without_overflow.append(CountyNoOverflow(county_fips=county.fips, name=county.name,
                                                            home=home.slug))
        key = (home.timezone, (home.slug, *partners))
        if key not in flags_for:
            if home.timezone not in weeks:
                weeks[home.timezone] = week_hours(ZoneInfo(home.timezone), at)
            flags_for[key] = uncovered([home, *(network.centers[slug] for slug in partners)], weeks[home.timezone])
        flags = flags_for[key]
        if any(flags):
            report.uncovered_hours.append(CountyHours(
                county_fips=county.fips, name=county.name, home=home.slug, timezone=home.timezone,
                hours=sum(flags), ranges=hour_ranges(flags)))
    return report


def coverage_report(session: Session, *, state: str | None, at: datetime, national_fallback: str | None,
                    actor: Principal) -> CoverageReport:
    """The coverage report for one state (USPS or FIPS code) or, with None, every state."""
    permissions.require(actor, READ_NETWORK)
    require_aware(at)
    found = parse_state(state) if state else None
    counties = [county for county in geo.all_counties() if found is None or county.fips.startswith(found.fips)]
    return build_report(load_plan(session), counties=counties, at=at, state=found.code if found else None,
                        national_fallback=national_fallback)
