"""The network as routing sees it: every active center and agreement, compiled once per change.

Built from the database rows when the network revision moves, then read by every decision without a
query: who covers a county or ZIP, each center's hours and languages, each center's agreements in
priority order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from surge.centers.hours import Hours, compile_hours
from surge.centers.models import Agreement, Center

# How a center's coverage holds a location; a lower rank wins when two centers cover it.
BY_ZIP, BY_COUNTY, BY_AREA = 0, 1, 2
BASIS_NAMES = {BY_ZIP: "zip", BY_COUNTY: "county", BY_AREA: "area"}


def primary_language(code: str) -> str:
    return code.split("-", 1)[0].lower()


@dataclass(frozen=True)
class CenterPlan:
    slug: str
    name: str
    hours: Hours
    languages: frozenset[str]  # primary subtags: a caller needing "es-MX" is served by "es"
    tty: bool
    timezone: str = "UTC"
    zips: frozenset[str] = frozenset()
    sip_uri: str | None = None

    def serves(self, language: str | None, tty: bool) -> bool:
        return (language is None or primary_language(language) in self.languages) and (self.tty or not tty)


@dataclass(frozen=True)
class AgreementPlan:
    id: int
    from_center: str
    to_center: str
    priority: int
    counties: frozenset[str]  # empty: all the from-center's counties
    languages: frozenset[str]  # empty: every caller; else only callers needing one of these
    triggers: dict
    max_calls_per_hour: int | None
    disaster_only: bool
    valid_from: datetime | None
    valid_to: datetime | None

    @property
    def standing(self) -> bool:
        """Open to every caller outside disasters: neither disaster-only nor limited to some languages."""
        return not self.disaster_only and not self.languages

    def applies(self, county: str, language: str | None, at: datetime, disaster_counties: frozenset[str]) -> bool:
        if self.valid_from is not None and at < self.valid_from:
            return False
        if self.valid_to is not None and at >= self.valid_to:
            return False
        if self.counties and county not in self.counties:
            return False
        if self.languages and (language is None or primary_language(language) not in self.languages):
            return False
        return not self.disaster_only or county in disaster_counties


@dataclass
class Plan:
    revision: int = 0
    centers: dict[str, CenterPlan] = field(default_factory=dict)
    by_county: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # sorted (rank, slug)
    by_zip: dict[str, list[str]] = field(default_factory=dict)  # sorted slugs
    agreements_from: dict[str, list[AgreementPlan]] = field(default_factory=dict)  # by (priority, id)

    def home(self, county: str, zip_code: str | None) -> tuple[CenterPlan, str] | None:
        """The center whose coverage holds the location, and how: ZIP named, then county named, then drawn area."""
        if zip_code is not None and zip_code in self.by_zip:
            return self.centers[self.by_zip[zip_code][0]], BASIS_NAMES[BY_ZIP]
        ranked = self.by_county.get(county)
        if not ranked:
            return None
        rank, slug = ranked[0]
        return self.centers[slug], BASIS_NAMES[rank]

    def homes(self, county: str, zip_code: str | None = None) -> tuple[str, ...]:
        """Every center covering the place, the home first, in the order `home` ranks them."""
        by_county = tuple(slug for _, slug in self.by_county.get(county, ()))
        by_zip = tuple(self.by_zip.get(zip_code, ())) if zip_code is not None else ()
        return by_zip + tuple(slug for slug in by_county if slug not in by_zip)


def build_plan(centers: list[Center], agreements: list[Agreement], revision: int = 0) -> Plan:
    plan = Plan(revision=revision)
    for center in centers:
        if not center.active:
            continue
        plan.centers[center.slug] = CenterPlan(
            slug=center.slug, name=center.name,
            hours=compile_hours(center.timezone, center.hours, center.closures),
            languages=frozenset(primary_language(code) for code in center.languages), tty=center.tty,
            timezone=center.timezone, zips=frozenset(center.zips), sip_uri=center.sip_uri)
        named = set(center.counties)
        for fips in named:
            plan.by_county.setdefault(fips, []).append((BY_COUNTY, center.slug))
        for fips in set(center.area_counties) - named:
            plan.by_county.setdefault(fips, []).append((BY_AREA, center.slug))
        for zip_code in center.zips:
            plan.by_zip.setdefault(zip_code, []).append(center.slug)
    for ranked in plan.by_county.values():
        ranked.sort()
    for slugs in plan.by_zip.values():
        slugs.sort()
    for agreement in sorted(agreements, key=lambda a: (a.priority, a.id)):
        if agreement.from_center not in plan.centers or agreement.to_center not in plan.centers:
            continue  # an agreement with a deactivated center is dormant
        plan.agreements_from.setdefault(agreement.from_center, []).append(AgreementPlan(
            id=agreement.id, from_center=agreement.from_center, to_center=agreement.to_center,
            priority=agreement.priority, counties=frozenset(agreement.counties),
            languages=frozenset(primary_language(code) for code in agreement.languages),
            triggers=dict(agreement.triggers), max_calls_per_hour=agreement.max_calls_per_hour,
            disaster_only=agreement.disaster_only, valid_from=agreement.valid_from, valid_to=agreement.valid_to))
    return plan


def load_plan(session: Session, revision: int = 0) -> Plan:
    return build_plan(list(session.exec(select(Center).where(Center.active)).all()),
                      list(session.exec(select(Agreement)).all()), revision)
