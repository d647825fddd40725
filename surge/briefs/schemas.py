"""What changing a schedule or a narrative takes, and what the brief API answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from apscheduler.triggers.cron import CronTrigger
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from surge.centers.models import clean_timezone
from surge.kernel.i18n import N_

NARRATIVE_PART_CHARS = 20_000
NARRATIVE_TOTAL_CHARS = 64_000
CRON_PATTERN = r"^[0-9A-Za-z*/,\- ]{9,120}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def cron_trigger(expression: str, zone: str) -> CronTrigger:
    """APScheduler's reading of a 5-field crontab line in a zone; ValueError when it cannot read it."""
    if len(expression.split()) != 5:
        raise ValueError("five fields")
    return CronTrigger.from_crontab(expression, timezone=zone)


class ScheduleIn(Strict):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "timezone": N_('Use an IANA time zone name such as "America/Chicago".'),
        "cron": N_('Give five cron fields (minute hour day month weekday), such as "0 7,19 * * *".'),
        "period_start": N_("Give a local date and time without a UTC offset, such as 2026-11-27T07:00."),
    }

    timezone: str = Field(max_length=64, description="IANA time zone the periods are counted in")
    operational_period_hours: int | None = Field(default=None, ge=1, le=168,
                                                 description="fixed periods of this many hours (with period_start)")
    period_start: datetime | None = Field(default=None, description="a local wall-clock date and time in "
                                                                     "`timezone` where a period starts")
    cron: str | None = Field(default=None, pattern=CRON_PATTERN,
                             description="or: a 5-field cron expression; a brief covers one fire time to the next")
    catch_up: bool = Field(default=True, description="after downtime produce every missed period, else only the "
                                                     "latest one")
    enabled: bool = True

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return clean_timezone(value)

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            try:
                cron_trigger(value, info.data.get("timezone") or "UTC")
            except ValueError:
                raise ValueError(N_('Give five cron fields (minute hour day month weekday), such as "0 7,19 * * *".'))\
                    from None
        return value

    @field_validator("period_start")
    @classmethod
    def _local(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            raise ValueError(N_("Give a local date and time without a UTC offset, such as 2026-11-27T07:00."))
        if value is not None and not 1970 <= value.year <= 2200:
            raise ValueError(N_("Give a time between the years 1970 and 2200."))
        return value

    @model_validator(mode="after")
    def _one_form(self):
        fixed = self.operational_period_hours is not None or self.period_start is not None
        if (self.cron is None) == (not fixed):
            raise ValueError(N_("Give either operational_period_hours with period_start, or a cron expression."))
        if fixed and (self.operational_period_hours is None or self.period_start is None):
            raise ValueError(N_("Give either operational_period_hours with period_start, or a cron expression."))
        return self


class ScheduleOut(BaseModel):
    incident: str
    operational_period_hours: int | None
    period_start: datetime | None = Field(description="local wall-clock time in `timezone`")
    cron: str | None
    timezone: str
    catch_up: bool
    enabled: bool
    next_brief_at: datetime | None = Field(description="when the next scheduled brief is due (UTC)")
    updated_at: datetime
    updated_by: str


def _text(description: str):
    return Field(default="", max_length=NARRATIVE_PART_CHARS, description=description)


class NarrativeIn(Strict):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    situation: str = _text("the situation now, plain text")
    actions: str = _text("actions taken, plain text")
    rumor_control: str = _text("rumors and the facts, plain text")
    next_steps: str = _text("next steps, plain text")

    @model_validator(mode="after")
    def _bounded(self):
        total = len(self.situation) + len(self.actions) + len(self.rumor_control) + len(self.next_steps)
        if total > NARRATIVE_TOTAL_CHARS:
            raise ValueError(N_("The narrative is too long: keep all four parts together under 64,000 characters."))
        return self


class NarrativeOut(BaseModel):
    incident: str
    situation: str
    actions: str
    rumor_control: str
    next_steps: str
    updated_at: datetime | None
    updated_by: str


class BriefSummaryOut(BaseModel):
    number: int
    period_start: datetime
    period_end: datetime
    kind: str
    version: str
    created_at: datetime
    approved_by: str | None = None


class BriefListOut(BaseModel):
    incident: str
    briefs: list[BriefSummaryOut]


class BriefCreatedOut(BaseModel):
    incident: str
    number: int
    version: str
    period_start: datetime
    period_end: datetime


class BriefOut(BaseModel):
    """Every figure, the narrative as it stood, and the header: what a renderer makes HTML or PDF from."""

    incident: str
    incident_name: str
    exercise: bool
    number: int
    kind: str
    version: str
    period_start: datetime
    period_end: datetime
    prepared_by: str
    approved_by: str | None
    created_at: datetime
    next_brief_at: datetime | None
    figures: dict[str, Any]
    narrative: dict[str, str]
