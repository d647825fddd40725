"""The incident table, what creating or changing one takes, and what the API answers."""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field as PydanticField, field_validator, model_validator
from sqlmodel import Field, SQLModel

from surge.alerts.models import DECLARATION_PATTERN
from surge.centers.models import clean_timezone
from surge.kernel.clock import utc_column, utcnow
from surge.kernel.db import json_column
from surge.kernel.i18n import N_
from surge.kernel.incident_types import IncidentType  # noqa: F401  (re-exported: its home was here)
from surge.kernel.validation import Slug, clean_counties, clean_zips
from surge.locations.models import GeoJsonArea

MAX_AREA_CODES = 1000
MAX_CAP_CHARACTERS = 1_000_000  # an alert's XML in a JSON body: the same bound as the alert endpoint's body
AREA_FORMS = ("counties", "zips", "geojson", "cap", "fema_declaration")


class Status(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    DEMOBILIZING = "demobilizing"
    CLOSED = "closed"


class Incident(SQLModel, table=True):
    __tablename__ = "incidents"

    slug: str = Field(primary_key=True, max_length=63)
    name: str = Field(max_length=200)
    type: str = Field(max_length=40)
    exercise: bool = False
    level: int = 1
    timezone: str = Field(max_length=64)
    operational_period_hours: int = 12
    period_start: str = Field(default="06:00", max_length=5)
    area_source: str = Field(max_length=16)  # counties | zips | geojson | cap | fema_declaration
    area: dict = Field(sa_column=json_column(nullable=False))  # the stored polygon (GeoJSON)
    counties: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    status: str = Field(default=Status.DRAFT.value, max_length=16, index=True)
    activated_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    stood_down_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AreaIn(Strict):
    """Exactly one form of area."""

    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "counties": N_("Use five-digit county FIPS codes."),
        "zips": N_("Use five-digit ZIP codes."),
        "cap": N_("Give the CAP alert's XML as text, at most 1,000,000 characters."),
        "fema_declaration": N_("Give a FEMA declaration such as DR-4706-OK."),
    }

    counties: list[str] | None = PydanticField(default=None, min_length=1, max_length=MAX_AREA_CODES)
    zips: list[str] | None = PydanticField(default=None, min_length=1, max_length=MAX_AREA_CODES)
    geojson: GeoJsonArea | None = None
    cap: str | None = PydanticField(default=None, min_length=1, max_length=MAX_CAP_CHARACTERS,
                                    description="a CAP 1.2 or 1.1 alert's XML: its polygons, circles and geocodes")
    fema_declaration: str | None = PydanticField(default=None, pattern=DECLARATION_PATTERN, max_length=16,
                                                 description="an imported OpenFEMA declaration, e.g. DR-4706-OK")

    @field_validator("counties")
    @classmethod
    def _counties(cls, value):
        return None if value is None else clean_counties(value)

    @field_validator("zips")
    @classmethod
    def _zips(cls, value):
        return None if value is None else clean_zips(value)

    @model_validator(mode="after")
    def _one(self):
        given = [name for name in AREA_FORMS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(N_("Give the area as exactly one of counties, zips, geojson, cap or fema_declaration."))
        return self

    @property
    def source(self) -> str:
        return next(name for name in AREA_FORMS if getattr(self, name) is not None)


class IncidentFields(Strict):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "type": N_("Use a FEMA incident type such as Hurricane, Flood, Fire or Severe Storm."),
        "period_start": N_('Give a local time such as "06:00".'),
    }

    name: str = PydanticField(min_length=1, max_length=200)
    type: IncidentType
    exercise: bool = False
    level: int = PydanticField(default=1, ge=1, le=3)
    timezone: str = PydanticField(default="America/Chicago", max_length=64)
    operational_period_hours: int = PydanticField(default=12, ge=1, le=168)
    period_start: str = "06:00"
    area: AreaIn

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return clean_timezone(value)

    @field_validator("period_start")
    @classmethod
    def _start(cls, value: str) -> str:
        try:
            time.fromisoformat(value)
        except ValueError:
            raise ValueError(N_('Give a local time such as "06:00".')) from None
        if len(value) != 5:
            raise ValueError(N_('Give a local time such as "06:00".'))
        return value


class IncidentIn(IncidentFields):
    slug: Slug


class ReasonIn(Strict):
    reason: str = PydanticField(min_length=1, max_length=2000, description="why: kept in the audit log")


class IncidentOut(BaseModel):
    slug: str
    name: str
    type: str
    exercise: bool
    level: int
    timezone: str
    operational_period_hours: int
    period_start: str
    status: Status
    area_source: str
    area: dict = PydanticField(description="the stored polygon, as GeoJSON")
    counties: list[str] = PydanticField(description="the county FIPS codes the area covers")
    activated_at: datetime | None
    stood_down_at: datetime | None

    @classmethod
    def of(cls, incident: Incident) -> IncidentOut:
        return cls(slug=incident.slug, name=incident.name, type=incident.type, exercise=incident.exercise,
                   level=incident.level, timezone=incident.timezone,
                   operational_period_hours=incident.operational_period_hours, period_start=incident.period_start,
                   status=incident.status, area_source=incident.area_source, area=incident.area,
                   counties=incident.counties, activated_at=incident.activated_at,
                   stood_down_at=incident.stood_down_at)


class IncidentListOut(BaseModel):
    incidents: list[IncidentOut]
