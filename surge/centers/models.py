"""Tables for centers, overflow agreements and live status, with their input and answer models."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field as PydanticField, field_validator, model_validator
from sqlalchemy import Column, ForeignKey, String
from sqlmodel import Field, SQLModel

from surge.centers.hours import ALWAYS, DAYS, parse_clock, zone
from surge.kernel.clock import utc_column, utcnow
from surge.kernel.db import json_column
from surge.kernel.i18n import N_
from surge.kernel.validation import Slug, clean_counties, clean_languages, clean_zips
from surge.locations.models import GeoJsonArea

MAX_COUNTIES = 400
MAX_ZIPS = 5000
MAX_LANGUAGES = 40
MAX_CLOSURES = 200
MAX_RANGES_A_DAY = 6
TRIGGER_NAMES = ("after_hours", "closed", "calls_waiting", "longest_wait_s", "no_agents", "always")


class Center(SQLModel, table=True):
    __tablename__ = "centers"

    slug: str = Field(primary_key=True, max_length=63)
    name: str = Field(max_length=200)
    timezone: str = Field(max_length=64)
    counties: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    zips: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    area: dict | None = Field(default=None, sa_column=json_column(nullable=True))
    # The counties the drawn area covers (at least half of each inside), worked out when it is saved.
    area_counties: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    tty: bool = False
    hours: Any = Field(default=ALWAYS, sa_column=json_column(nullable=False))
    closures: list = Field(default_factory=list, sa_column=json_column(nullable=False))
    seats: int = 0
    accredited: bool = False
    sip_uri: str | None = Field(default=None, max_length=255)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class Agreement(SQLModel, table=True):
    """An overflow agreement: calls for `from_center`'s counties may go to `to_center` when its triggers fire."""

    __tablename__ = "overflow_agreements"

    id: int | None = Field(default=None, primary_key=True)
    from_center: str = Field(sa_column=Column(String(63), ForeignKey("centers.slug"), nullable=False, index=True))
    to_center: str = Field(sa_column=Column(String(63), ForeignKey("centers.slug"), nullable=False, index=True))
    priority: int = 1
    counties: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    triggers: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
    max_calls_per_hour: int | None = None
    disaster_only: bool = False
    valid_from: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    valid_to: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class CenterStatus(SQLModel, table=True):
    """The latest load a center's phone system reported; one row per center, overwritten."""

    __tablename__ = "center_status"

    center_slug: str = Field(sa_column=Column(String(63), ForeignKey("centers.slug", ondelete="CASCADE"),
                                              primary_key=True))
    calls_waiting: int = 0
    longest_wait_s: int = 0
    agents_available: int = 0
    agents_staffed: int = 0
    open: bool | None = None
    reported_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    reported_by: str = Field(default="", max_length=400)


# --- input -----------------------------------------------------------------------------------------------


def clean_timezone(value: str) -> str:
    try:
        zone(value)
    except (ValueError, KeyError, OSError):
        raise ValueError(N_('Use an IANA time zone name such as "America/Chicago".')) from None
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ClosureRange(Strict):
    from_: datetime = PydanticField(alias="from")
    to: datetime

    @model_validator(mode="after")
    def _order(self):
        if self.from_.tzinfo is None or self.to.tzinfo is None:
            raise ValueError(N_("Give closure times with their UTC offset, for example 2026-12-24T18:00:00-06:00."))
        if self.to <= self.from_:
            raise ValueError(N_("A closure must end after it starts."))
        return self


class CenterFields(Strict):
    """What a center's owner may change (all but the slug)."""

    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "hours": N_('Use "24/7" or a weekly schedule such as {"mon": [["08:00", "20:00"]]}.'),
        "closures": N_('List dates ("2026-12-25") or ranges ({"from": "...", "to": "..."}) with UTC offsets.'),
    }

    name: str = PydanticField(min_length=1, max_length=200)
    timezone: str = PydanticField(max_length=64)
    counties: list[str] = PydanticField(default_factory=list, max_length=MAX_COUNTIES)
    zips: list[str] = PydanticField(default_factory=list, max_length=MAX_ZIPS)
    area: GeoJsonArea | None = None
    languages: list[str] = PydanticField(default_factory=lambda: ["en"], min_length=1, max_length=MAX_LANGUAGES)
    tty: bool = False
    hours: str | dict[str, list[tuple[str, str]]] = ALWAYS
    closures: list[date | ClosureRange] = PydanticField(default_factory=list, max_length=MAX_CLOSURES)
    seats: int = PydanticField(default=0, ge=0, le=100_000)
    accredited: bool = False
    sip_uri: str | None = PydanticField(default=None, max_length=255, pattern=r"^sips?:[^\s<>\"'\\]+$")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return clean_timezone(value)

    @field_validator("counties")
    @classmethod
    def _counties(cls, value: list[str]) -> list[str]:
        return clean_counties(value)

    @field_validator("zips")
    @classmethod
    def _zips(cls, value: list[str]) -> list[str]:
        return clean_zips(value)

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        return clean_languages(value)

    @field_validator("hours")
    @classmethod
    def _hours(cls, value):
        if isinstance(value, str):
            if value != ALWAYS:
                raise ValueError(N_('Use "24/7" or a weekly schedule such as {"mon": [["08:00", "20:00"]]}.'))
            return value
        week = {}
        for day, ranges in value.items():
            if day not in DAYS:
                raise ValueError(N_("Name the days mon, tue, wed, thu, fri, sat and sun."))
            if len(ranges) > MAX_RANGES_A_DAY:
                raise ValueError(N_("Give at most six opening ranges a day."))
            for start, end in ranges:
                try:
                    if parse_clock(start) >= parse_clock(end):
                        raise ValueError
                except ValueError:
                    raise ValueError(N_('Give each range as ["HH:MM", "HH:MM"], closing after opening '
                                        '("24:00" for midnight).')) from None
            week[day] = [list(r) for r in ranges]
        return week

    @model_validator(mode="after")
    def _somewhere(self):
        if not (self.counties or self.zips or self.area):
            raise ValueError(N_("Give the center's coverage as counties, ZIP codes or a drawn area."))
        return self

    def stored_area(self) -> dict | None:
        return None if self.area is None else self.area.model_dump(mode="json", exclude_none=True)

    def stored_closures(self) -> list:
        return [c.isoformat() if isinstance(c, date) else {"from": c.from_.isoformat(), "to": c.to.isoformat()}
                for c in self.closures]


class CenterIn(CenterFields):
    slug: Slug


class Triggers(Strict):
    after_hours: bool = False
    closed: bool = False
    calls_waiting: int | None = PydanticField(default=None, ge=1, le=100_000)
    longest_wait_s: int | None = PydanticField(default=None, ge=1, le=86_400)
    no_agents: bool = False
    always: bool = False

    def stored(self) -> dict:
        return {name: value for name, value in self.model_dump().items() if value not in (None, False)}


class AgreementIn(Strict):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "triggers": N_("Use any of after_hours, closed, calls_waiting, longest_wait_s, no_agents and always."),
    }
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    from_: str = PydanticField(alias="from", max_length=63)
    to: str = PydanticField(max_length=63)
    priority: int = PydanticField(default=1, ge=1, le=99)
    counties: list[str] = PydanticField(default_factory=list, max_length=MAX_COUNTIES)
    languages: list[str] = PydanticField(default_factory=list, max_length=MAX_LANGUAGES)
    triggers: Triggers
    max_calls_per_hour: int | None = PydanticField(default=None, ge=1, le=1_000_000)
    disaster_only: bool = False
    valid_from: datetime | None = None
    valid_to: datetime | None = None

    @field_validator("counties")
    @classmethod
    def _counties(cls, value: list[str]) -> list[str]:
        return clean_counties(value)

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        return clean_languages(value)

    @field_validator("valid_from", "valid_to")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError(N_("Give the time with its UTC offset, for example 2026-06-01T00:00:00Z."))
        return value

    @model_validator(mode="after")
    def _consistent(self):
        if self.from_ == self.to:
            raise ValueError(N_("A center cannot overflow to itself."))
        if not self.triggers.stored():
            raise ValueError(N_("Name at least one trigger."))
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValueError(N_("valid_to must come after valid_from."))
        return self


class StatusIn(Strict):
    calls_waiting: int = PydanticField(ge=0, le=1_000_000)
    longest_wait_s: int = PydanticField(ge=0, le=7 * 86_400)
    agents_available: int = PydanticField(ge=0, le=100_000)
    agents_staffed: int = PydanticField(ge=0, le=100_000)
    open: bool | None = None

    @model_validator(mode="after")
    def _agents(self):
        if self.agents_available > self.agents_staffed:
            raise ValueError(N_("agents_available cannot exceed agents_staffed."))
        return self
