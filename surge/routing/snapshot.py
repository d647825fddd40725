"""The network as plain data for static exports: active centers with compiled hours, and their agreements.

Read once per export (`load_network`), then asked thousands of times without the database. Only what a
schedule-based table and the coverage report need is kept; live status is not read at all.

Who is a county's home center (`Network.homes`): a center naming the ZIP code in `zips` (when a ZIP code is
asked about) beats one naming the county in `counties`, which beats one whose drawn area covers it
(`area_counties`); ties go to the lower slug.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from surge.centers.hours import Hours, compile_hours
from surge.centers.models import Agreement, Center

# Ranks of a home: lower is better.
BY_ZIP, BY_COUNTY, BY_AREA = 0, 1, 2


@dataclass(frozen=True)
class CenterPlan:
    slug: str
    timezone: str
    hours: Hours
    counties: frozenset[str]
    area_counties: frozenset[str]
    zips: frozenset[str]
    sip_uri: str | None = None


@dataclass(frozen=True)
class AgreementPlan:
    id: int
    from_center: str
    to_center: str
    priority: int
    counties: frozenset[str] = frozenset()  # empty: every county the from-center covers
    languages: tuple[str, ...] = ()  # empty: callers of any language
    triggers: dict = field(default_factory=dict)
    disaster_only: bool = False
    valid_from: datetime | None = None
    valid_to: datetime | None = None

    def applies_to(self, county_fips: str) -> bool:
        return not self.counties or county_fips in self.counties

    def valid_at(self, at: datetime) -> bool:
        return (self.valid_from is None or self.valid_from <= at) and (self.valid_to is None or at < self.valid_to)

    @property
    def standing(self) -> bool:
        """Open to every caller outside disasters: neither disaster-only nor limited to some languages."""
        return not self.disaster_only and not self.languages


@dataclass(frozen=True)
class Network:
    """Active centers by slug, and each center's agreements to active centers in priority order."""

    centers: dict[str, CenterPlan]
    agreements: dict[str, tuple[AgreementPlan, ...]]
    _by_county: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False)
    _by_zip: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        by_county: dict[str, list[tuple[int, str]]] = defaultdict(list)
        by_zip: dict[str, list[str]] = defaultdict(list)
        for center in self.centers.values():
            for fips in center.counties:
                by_county[fips].append((BY_COUNTY, center.slug))
            for fips in center.area_counties - center.counties:
                by_county[fips].append((BY_AREA, center.slug))
            for zip_code in center.zips:
                by_zip[zip_code].append(center.slug)
        self._by_county.update({fips: tuple(slug for _rank, slug in sorted(ranked))
                                for fips, ranked in by_county.items()})
        self._by_zip.update({zip_code: tuple(sorted(slugs)) for zip_code, slugs in by_zip.items()})

    def homes(self, county_fips: str, zip_code: str | None = None) -> tuple[str, ...]:
        """Every center covering the place, best home first (see the module's rule)."""
        by_county = self._by_county.get(county_fips, ())
        if zip_code is None or zip_code not in self._by_zip:
            return by_county
        by_zip = self._by_zip[zip_code]
        return by_zip + tuple(slug for slug in by_county if slug not in by_zip)

    def home(self, county_fips: str, zip_code: str | None = None) -> CenterPlan | None:
        homes = self.homes(county_fips, zip_code)
        return self.centers[homes[0]] if homes else None

    @property
    def zips_by_code(self) -> frozenset[str]:
        """The ZIP codes some center names in `zips`: only these can route apart from their county."""
        return frozenset(self._by_zip)

    def zip_centers(self, zip_code: str) -> tuple[str, ...]:
        return self._by_zip.get(zip_code, ())


def load_network(session: Session) -> Network:
    """The active centers and the agreements between active centers, as plain values."""
    centers = {
        row.slug: CenterPlan(slug=row.slug, timezone=row.timezone,
                             hours=compile_hours(row.timezone, row.hours, row.closures),
                             counties=frozenset(row.counties), area_counties=frozenset(row.area_counties),
                             zips=frozenset(row.zips), sip_uri=row.sip_uri)
        for row in session.exec(select(Center).where(Center.active)).all()
    }
    agreements: dict[str, list[AgreementPlan]] = defaultdict(list)
    query = select(Agreement).order_by(Agreement.from_center, Agreement.priority, Agreement.id)
    for row in session.exec(query).all():
        if row.from_center not in centers or row.to_center not in centers:
            continue
        agreements[row.from_center].append(AgreementPlan(
            id=row.id, from_center=row.from_center, to_center=row.to_center, priority=row.priority,
            counties=frozenset(row.counties), languages=tuple(row.languages), triggers=dict(row.triggers),
            disaster_only=row.disaster_only, valid_from=row.valid_from, valid_to=row.valid_to))
    return Network(centers=centers, agreements={slug: tuple(found) for slug, found in agreements.items()})
