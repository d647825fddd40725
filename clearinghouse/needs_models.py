"""A clearinghouse's needs list for one incident: the table, what replacing it takes, what the API answers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field as PydanticField, field_validator
from sqlalchemy import Column, ForeignKey, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from surge.kernel.clock import utc_column, utcnow
from surge.kernel.i18n import N_

MAX_ITEMS = 200  # per list


class NeedStatus(StrEnum):
    NEEDED = "needed"
    NOT_NEEDED = "not_needed"  # offers are kept on file, not refused and forgotten
    FULL = "full"  # needed in general, but no room for more now


class ClearinghouseNeed(SQLModel, table=True):
    __tablename__ = "clearinghouse_needs"
    __table_args__ = (UniqueConstraint("incident_slug", "clearinghouse_slug", "code",
                                       name="uq_clearinghouse_needs_incident_clearinghouse_code"),)

    id: int | None = Field(default=None, primary_key=True)
    # Named by string: the clearinghouse package does not know incidents, only the schema does.
    incident_slug: str = Field(sa_column=Column(
        String(63), ForeignKey("incidents.slug", name="fk_clearinghouse_needs_incident"), nullable=False))
    clearinghouse_slug: str = Field(sa_column=Column(
        String(63), ForeignKey("clearinghouses.slug", name="fk_clearinghouse_needs_clearinghouse"), nullable=False,
        index=True))
    code: str = Field(max_length=40)  # a skill or a donation category of the taxonomy
    status: str = Field(max_length=12)
    quantity: int | None = None
    note: str = Field(default="", max_length=500)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_by: str = Field(default="", max_length=400)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NeedIn(Strict):
    code: str = PydanticField(min_length=1, max_length=40, description="a skill or donation-category code")
    status: NeedStatus
    quantity: int | None = PydanticField(default=None, ge=0, le=100_000_000)
    note: str = PydanticField(default="", max_length=500)


class NeedsIn(Strict):
    items: list[NeedIn] = PydanticField(max_length=MAX_ITEMS)

    @field_validator("items")
    @classmethod
    def _once(cls, value: list[NeedIn]) -> list[NeedIn]:
        if len({item.code for item in value}) != len(value):
            raise ValueError(N_("Name each code once."))
        return value


class NeedOut(BaseModel):
    code: str
    label: str = PydanticField(description="the taxonomy's English label")
    status: NeedStatus
    quantity: int | None
    note: str
    updated_at: datetime
    updated_by: str


class NeedsOut(BaseModel):
    incident: str
    clearinghouse: str
    items: list[NeedOut]
