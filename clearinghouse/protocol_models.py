"""A clearinghouse's protocols: for which kinds of incident it is brought in, for what, and how fast it
answers. The table, what making one takes, and what the API answers."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field as PydanticField, field_validator, model_validator
from sqlalchemy import Column, ForeignKey, String
from sqlmodel import Field, SQLModel

from clearinghouse.patterns import EMAIL
from surge.kernel.clock import utc_column, utcnow
from surge.kernel.db import json_column
from surge.kernel.i18n import N_
from surge.kernel.incident_types import IncidentType

MAX_PROTOCOLS = 20  # per clearinghouse
MAX_ACK_HOURS = 720  # thirty days


class ClearinghouseProtocol(SQLModel, table=True):
    __tablename__ = "clearinghouse_protocols"

    id: int | None = Field(default=None, primary_key=True)
    clearinghouse_slug: str = Field(sa_column=Column(
        String(63), ForeignKey("clearinghouses.slug", name="fk_clearinghouse_protocols_clearinghouse"),
        nullable=False, index=True))
    incident_types: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    # Empty skills and categories both: the protocol covers everything the clearinghouse accepts.
    skills: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    donation_categories: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    ack_hours: int = 24
    escalation: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
    mou: str = Field(default="", max_length=500)
    valid_from: date | None = None
    valid_to: date | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EscalationIn(Strict):
    """Whom to call when a referral waits past the acknowledgement deadline."""

    name: str = PydanticField(default="", max_length=200)
    phone: str = PydanticField(default="", max_length=40)
    email: str = PydanticField(default="", max_length=320)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.lower()
        if value and not EMAIL.match(value):
            raise ValueError(N_("Enter a valid e-mail address."))
        return value


class ProtocolIn(Strict):
    incident_types: list[IncidentType] = PydanticField(min_length=1, max_length=len(IncidentType))
    skills: list[str] = PydanticField(default_factory=list, max_length=100)
    donation_categories: list[str] = PydanticField(default_factory=list, max_length=100)
    ack_hours: int = PydanticField(default=24, ge=1, le=MAX_ACK_HOURS,
                                   description="hours within which the clearinghouse acknowledges a referral")
    escalation: EscalationIn = PydanticField(default_factory=EscalationIn)
    mou: str = PydanticField(default="", max_length=500, description="the memorandum of understanding, in short")
    valid_from: date | None = None
    valid_to: date | None = None

    @field_validator("incident_types", "skills", "donation_categories")
    @classmethod
    def _unique(cls, value: list) -> list:
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _dates(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(N_("The protocol cannot end before it starts."))
        return self


class ProtocolOut(BaseModel):
    id: int
    clearinghouse: str
    incident_types: list[str]
    skills: list[str]
    donation_categories: list[str]
    ack_hours: int
    escalation: dict
    mou: str
    valid_from: date | None
    valid_to: date | None

    @classmethod
    def of(cls, row: ClearinghouseProtocol) -> ProtocolOut:
        return cls(id=row.id, clearinghouse=row.clearinghouse_slug, incident_types=row.incident_types,
                   skills=row.skills, donation_categories=row.donation_categories, ack_hours=row.ack_hours,
                   escalation=row.escalation, mou=row.mou, valid_from=row.valid_from, valid_to=row.valid_to)


class ProtocolListOut(BaseModel):
    protocols: list[ProtocolOut]
