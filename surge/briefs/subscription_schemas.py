"""What a brief subscription takes and answers over the API."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from clearinghouse.patterns import EMAIL
from surge.kernel.i18n import N_
from surge.kernel.validation import RowId, Slug, clean_counties

MAX_COUNTIES = 3300  # every US county, about 3,200, and a margin


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "incident": N_("Give an incident's identifier: lower-case letters, digits and hyphens."),
        "email": N_("Give an e-mail address such as name@example.org."),
        "counties": N_("Give from 1 to 3,300 five-digit county FIPS codes."),
        "language": N_("Use en or es."),
        "user_id": N_("Use a whole number from 1."),
        "token_id": N_("Use a whole number from 1."),
    }

    incident: Slug | None = Field(default=None, description="one incident's briefs (or give counties)")
    counties: list[str] | None = Field(default=None, min_length=1, max_length=MAX_COUNTIES,
                                       description="an area: the briefs of every incident whose counties meet these")
    email: str | None = Field(default=None, max_length=320,
                              description="an e-mail-only subscriber, with no account (managers only)")
    user_id: RowId | None = Field(default=None, description="a partner user to subscribe (managers only)")
    token_id: RowId | None = Field(default=None, description="a partner API token to subscribe (managers only)")
    language: Literal["en", "es"] = Field(default="en", description="the language of the e-mails")

    @field_validator("counties")
    @classmethod
    def _counties(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else sorted(clean_counties(value))

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().lower()
        if not EMAIL.match(value):
            raise ValueError(N_("Give an e-mail address such as name@example.org."))
        return value

    @model_validator(mode="after")
    def _one_target_one_subscriber(self):
        if (self.incident is None) == (self.counties is None):
            raise ValueError(N_("Give either an incident or counties, not both."))
        if sum(value is not None for value in (self.email, self.user_id, self.token_id)) > 1:
            raise ValueError(N_("Give at most one of email, user_id and token_id."))
        return self


class SubscriptionOut(BaseModel):
    id: int
    subscriber: Literal["user", "token", "email"]
    user_id: int | None
    token_id: int | None
    email: str | None = Field(description="where briefs are sent; none for an API token")
    language: str
    incident: str | None
    counties: list[str]
    created_by: str
    created_at: datetime


class SubscriptionListOut(BaseModel):
    subscriptions: list[SubscriptionOut]
    total: int
    page: int
    page_size: int


class DeliveryOut(BaseModel):
    recipient: str
    subscription_id: int | None = Field(description="none once the subscription has ended")
    state: Literal["queued", "sent", "failed", "dead"] = Field(
        description="queued: not tried yet; failed: tried, will be tried again; dead: out of attempts")
    attempts: int
    last_error: str | None
    queued_at: datetime
    sent_at: datetime | None


class DeliveryListOut(BaseModel):
    incident: str
    number: int
    deliveries: list[DeliveryOut]
