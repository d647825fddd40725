"""What the referral API takes and answers."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from surge.kernel.i18n import N_

MAX_PAGE = 200
STATES = Literal["sent", "acknowledged", "accepted", "declined", "fulfilled", "released"]
SLUG = r"^[a-z0-9][a-z0-9-]{0,62}$"


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(default="", max_length=500, description="why: required to decline and to release")
    why: Literal["expired", "no_show", "cancelled"] | None = Field(
        default=None, description="release only: expired or cancelled before acceptance; also no_show after")


class ReferralPath(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {"id": N_("Use a whole number from 1.")}

    id: int = Field(ge=1, le=2**31 - 1)  # the column is a 32-bit integer on PostgreSQL


class ReferralQuery(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "incident": N_("Use an incident's slug."),
        "clearinghouse": N_("Use a clearinghouse's slug."),
        "state": N_("Use sent, acknowledged, accepted, declined, fulfilled or released."),
        "limit": N_("Use a whole number from 1 to 200."),
        "offset": N_("Use a whole number from 0."),
    }

    incident: str | None = Field(default=None, pattern=SLUG)
    state: STATES | None = None
    clearinghouse: str | None = Field(default=None, pattern=SLUG,
                                      description="managers only; a clearinghouse always sees its own")
    limit: int = Field(default=50, ge=1, le=MAX_PAGE)
    offset: int = Field(default=0, ge=0, le=1_000_000)


class ContactOut(BaseModel):
    name: str
    organisation: str | None = None
    phone: str | None = None
    email: str | None = None
    preferred_contact: str


class ReferralOut(BaseModel):
    id: int
    incident: str
    clearinghouse: str
    kind: Literal["volunteer", "donation_item"]
    code: str
    state: STATES
    reason: str
    released_why: str | None
    distance_miles: float | None
    sent_at: datetime
    ack_due_at: datetime | None
    acknowledged_at: datetime | None
    accepted_at: datetime | None
    declined_at: datetime | None
    fulfilled_at: datetime | None
    released_at: datetime | None
    updated_at: datetime
    summary: dict = Field(description="skills, area and availability, or the item: never contact details")
    contact: ContactOut | None = Field(default=None, description="only once accepted, to the referral's "
                                       "clearinghouse and managers; each view is audited")


class ReferralPage(BaseModel):
    items: list[ReferralOut] = Field(description="newest first, without contact details (read one for those)")
    limit: int
    offset: int
    next_offset: int | None = Field(description="where the next page starts; null on the last page")
