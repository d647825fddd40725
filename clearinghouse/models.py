"""The clearinghouse table (agencies that manage volunteers or donations), what creating or changing one
takes, and what the API answers. The webhook secret is write-only: stored, never answered."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field as PydanticField, field_validator, model_validator
from sqlmodel import Field, SQLModel

from clearinghouse.patterns import EMAIL, URL
from clearinghouse.protocol_models import MAX_PROTOCOLS, ProtocolIn, ProtocolOut
from clearinghouse.taxonomy import clean_categories, clean_skills
from surge.kernel.clock import utc_column, utcnow
from surge.kernel.i18n import N_
from surge.kernel.db import json_column
from surge.kernel.validation import Slug, clean_counties, clean_languages

MAX_COUNTIES = 400


class Kind(StrEnum):
    VOLUNTEER_RECEPTION_CENTER = "volunteer_reception_center"
    VOLUNTEER_CENTER = "volunteer_center"
    VOAD_MEMBER = "voad_member"
    DONATIONS_WAREHOUSE = "donations_warehouse"
    MULTI_AGENCY_WAREHOUSE = "multi_agency_warehouse"
    GOVERNMENT = "government"
    OTHER = "other"


class Clearinghouse(SQLModel, table=True):
    __tablename__ = "clearinghouses"

    slug: str = Field(primary_key=True, max_length=63)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    counties: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    area: dict | None = Field(default=None, sa_column=json_column(nullable=True))
    area_counties: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    lat: float | None = None
    lon: float | None = None
    zip: str | None = Field(default=None, max_length=5)
    radius_miles: float = 25
    accepts: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
    capacity: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
    hours: str = Field(default="", max_length=500)
    languages: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    contacts: list = Field(default_factory=list, sa_column=json_column(nullable=False))
    delivery_emails: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    webhook_url: str | None = Field(default=None, max_length=2000)
    webhook_secret: str | None = Field(default=None, max_length=200)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


def clean_capacity(value: dict[str, int]) -> dict[str, int]:
    if any(not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", key) or not 0 <= amount <= 10_000_000
           for key, amount in value.items()):
        raise ValueError(N_('Give capacities as {"volunteers_per_day": 200, "pallets": 40}.'))
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LocationIn(Strict):
    lat: float | None = PydanticField(default=None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = PydanticField(default=None, ge=-180, le=180, allow_inf_nan=False)
    zip: str | None = PydanticField(default=None, pattern=r"^\d{5}$")

    @model_validator(mode="after")
    def _one(self):
        point = self.lat is not None and self.lon is not None
        if (self.lat is None) != (self.lon is None) or (point == (self.zip is not None)):
            raise ValueError(N_("Give the location as lat and lon together, or as a ZIP code."))
        return self


class AcceptsIn(Strict):
    skills: list[str] = PydanticField(default_factory=list, max_length=100)
    donation_categories: list[str] = PydanticField(default_factory=list, max_length=100)
    cash_url: str | None = PydanticField(default=None, max_length=2000)

    @field_validator("skills")
    @classmethod
    def _skills(cls, value: list[str]) -> list[str]:
        return clean_skills(value)

    @field_validator("donation_categories")
    @classmethod
    def _categories(cls, value: list[str]) -> list[str]:
        return clean_categories(value)

    @field_validator("cash_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not URL.match(value):
            raise ValueError(N_("Give a web address starting with https:// or http://."))
        return value


class ContactIn(Strict):
    name: str = PydanticField(min_length=1, max_length=200)
    role: str = PydanticField(default="", max_length=200)
    phone: str = PydanticField(default="", max_length=40)
    email: str = PydanticField(default="", max_length=320)


class DeliveryIn(Strict):
    emails: list[str] = PydanticField(default_factory=list, max_length=20)
    webhook_url: str | None = PydanticField(default=None, max_length=2000)
    webhook_secret: str | None = PydanticField(default=None, min_length=16, max_length=200,
                                               description="write-only: stored, never answered")

    @field_validator("emails")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        cleaned = [email.strip().lower() for email in value]
        if not all(EMAIL.match(email) for email in cleaned):
            raise ValueError(N_("Enter valid e-mail addresses."))
        return list(dict.fromkeys(cleaned))

    @field_validator("webhook_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not URL.match(value):
            raise ValueError(N_("Give a web address starting with https:// or http://."))
        return value


class ClearinghouseFields(Strict):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "kind": N_("Use volunteer_reception_center, volunteer_center, voad_member, donations_warehouse, "
                   "multi_agency_warehouse, government or other."),
    }

    name: str = PydanticField(min_length=1, max_length=200)
    kind: Kind
    counties: list[str] = PydanticField(default_factory=list, max_length=MAX_COUNTIES)
    area: dict | None = None
    location: LocationIn
    radius_miles: float = PydanticField(default=25, gt=0, le=500, allow_inf_nan=False)
    accepts: AcceptsIn = PydanticField(default_factory=AcceptsIn)
    capacity: dict[str, int] = PydanticField(default_factory=dict, max_length=20,
                                             description='e.g. {"volunteers_per_day": 200, "pallets": 40}')
    hours: str = PydanticField(default="", max_length=500)
    languages: list[str] = PydanticField(default_factory=lambda: ["en"], max_length=40)
    contacts: list[ContactIn] = PydanticField(default_factory=list, max_length=20)
    delivery: DeliveryIn = PydanticField(default_factory=DeliveryIn)
    protocols: list[ProtocolIn] | None = PydanticField(
        default=None, max_length=MAX_PROTOCOLS,
        description="when given, replaces the clearinghouse's protocols; when left out, they stay as they are")

    @field_validator("counties")
    @classmethod
    def _counties(cls, value: list[str]) -> list[str]:
        return clean_counties(value)

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        return clean_languages(value)

    @field_validator("capacity")
    @classmethod
    def _capacity(cls, value: dict[str, int]) -> dict[str, int]:
        return clean_capacity(value)

    @model_validator(mode="after")
    def _area(self):
        if not self.counties and self.area is None:
            raise ValueError(N_("Give the service area as counties, a drawn area, or both."))
        return self


class CapacityIn(Strict):
    """Capacity figures changed on their own (the portal); the others the clearinghouse gave are kept."""

    capacity: dict[str, int] = PydanticField(max_length=20)

    @field_validator("capacity")
    @classmethod
    def _capacity(cls, value: dict[str, int]) -> dict[str, int]:
        return clean_capacity(value)


class ClearinghouseIn(ClearinghouseFields):
    slug: Slug


class ClearinghouseOut(BaseModel):
    slug: str
    name: str
    kind: Kind
    counties: list[str]
    area: dict | None
    area_counties: list[str]
    location: dict
    radius_miles: float
    accepts: dict
    capacity: dict
    hours: str
    languages: list[str]
    contacts: list
    delivery: dict = PydanticField(description="e-mail addresses and webhook address; the secret is never shown")
    active: bool
    protocols: list[ProtocolOut] = PydanticField(default_factory=list)

    @classmethod
    def of(cls, row: Clearinghouse, protocols: list[ProtocolOut] | None = None) -> ClearinghouseOut:
        location = {"lat": row.lat, "lon": row.lon} if row.lat is not None else {"zip": row.zip}
        return cls(slug=row.slug, name=row.name, kind=row.kind, counties=row.counties, area=row.area,
                   area_counties=row.area_counties, location=location, radius_miles=row.radius_miles,
                   accepts=row.accepts, capacity=row.capacity, hours=row.hours, languages=row.languages,
                   contacts=row.contacts, active=row.active, protocols=protocols or [],
                   delivery={"emails": row.delivery_emails, "webhook_url": row.webhook_url,
                             "webhook_secret_set": row.webhook_secret is not None})


class ClearinghouseListOut(BaseModel):
    clearinghouses: list[ClearinghouseOut]
