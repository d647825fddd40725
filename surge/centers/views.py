"""Read models for centers and agreements: what the API answers and the pages show."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from surge.centers.models import Agreement, Center, CenterStatus


class OverlapOut(BaseModel):
    county_fips: str
    also_covered_by: list[str]


class CenterOut(BaseModel):
    slug: str
    name: str
    timezone: str
    counties: list[str]
    zips: list[str]
    area: dict | None
    area_counties: list[str] = Field(description="counties at least half inside the drawn area")
    languages: list[str]
    tty: bool
    hours: Any
    closures: list
    seats: int
    accredited: bool
    sip_uri: str | None
    active: bool
    overlaps: list[OverlapOut] = Field(default_factory=list,
                                       description="counties this center shares with another active center")

    @classmethod
    def of(cls, center: Center, overlaps: list[OverlapOut] | None = None) -> CenterOut:
        return cls(slug=center.slug, name=center.name, timezone=center.timezone, counties=center.counties,
                   zips=center.zips, area=center.area, area_counties=center.area_counties,
                   languages=center.languages, tty=center.tty, hours=center.hours, closures=center.closures,
                   seats=center.seats, accredited=center.accredited, sip_uri=center.sip_uri,
                   active=center.active, overlaps=overlaps or [])


class CenterListOut(BaseModel):
    centers: list[CenterOut]


class AgreementOut(BaseModel):
    id: int
    from_: str = Field(serialization_alias="from")
    to: str
    priority: int
    counties: list[str]
    languages: list[str]
    triggers: dict
    max_calls_per_hour: int | None
    disaster_only: bool
    valid_from: datetime | None
    valid_to: datetime | None

    @classmethod
    def of(cls, agreement: Agreement) -> AgreementOut:
        return cls(id=agreement.id, from_=agreement.from_center, to=agreement.to_center,
                   priority=agreement.priority, counties=agreement.counties, languages=agreement.languages,
                   triggers=agreement.triggers, max_calls_per_hour=agreement.max_calls_per_hour,
                   disaster_only=agreement.disaster_only, valid_from=agreement.valid_from,
                   valid_to=agreement.valid_to)


class AgreementListOut(BaseModel):
    agreements: list[AgreementOut]


class StatusOut(BaseModel):
    center: str
    calls_waiting: int
    longest_wait_s: int
    agents_available: int
    agents_staffed: int
    open: bool | None
    reported_at: datetime

    @classmethod
    def of(cls, status: CenterStatus) -> StatusOut:
        return cls(center=status.center_slug, calls_waiting=status.calls_waiting,
                   longest_wait_s=status.longest_wait_s, agents_available=status.agents_available,
                   agents_staffed=status.agents_staffed, open=status.open, reported_at=status.reported_at)
