"""What the route endpoint takes and answers."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_
from surge.kernel.validation import LANGUAGE_PATTERN
from surge.locations.models import INVALID_FIELD_MESSAGES, LocateIn


class RouteIn(LocateIn):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        **INVALID_FIELD_MESSAGES,
        "language": N_('Use a language code such as "en" or "es".'),
        "tty": N_("Use 1 or 0."),
        "at": N_("Give a date and time with its UTC offset, for example 2026-11-27T14:00:00-06:00."),
    }

    language: str | None = Field(default=None, max_length=35, description="the caller's language (BCP 47)")
    tty: bool = Field(default=False, description="the caller needs TTY")
    at: datetime | None = Field(default=None, description="when the call is placed (default: now)")

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().lower()
        if not LANGUAGE_PATTERN.match(value):
            raise ValueError(N_('Use a language code such as "en" or "es".'))
        return value

    @model_validator(mode="after")
    def _aware(self) -> "RouteIn":
        if self.at is not None and self.at.tzinfo is None:
            raise ValidationFailed(N_("Some of the information given is not valid."),
                                   fields={"at": self.FIELD_MESSAGES["at"]})
        return self


class RouteLocationOut(BaseModel):
    county_fips: str
    county: str
    state: str
    zip: str | None = None


class TargetOut(BaseModel):
    center: str
    name: str
    reason: Literal["home", "overflow", "home_after_overflow", "fallback"]
    agreement: int | None = None
    triggers: list[str] | None = None


class SkipOut(BaseModel):
    center: str
    why: Literal["closed", "language", "tty", "load", "over_cap"]
    agreement: int | None = None


class StatusNoteOut(BaseModel):
    stale: list[str] = Field(description="centers considered whose last status is missing or stale")
    stale_policy: Literal["unknown", "normal"]


class RouteOut(BaseModel):
    location: RouteLocationOut
    home: str | None
    home_basis: Literal["zip", "county", "area"] | None = Field(description="how the home center's coverage "
                                                                            "holds the location")
    at: datetime
    targets: list[TargetOut]
    skipped: list[SkipOut]
    status: StatusNoteOut
    decision_id: str
