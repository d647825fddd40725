"""The call event table: one row per (center, call, event), so a replayed event stores nothing new."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import ClassVar

from pydantic import Field as PydanticField, field_validator
from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from surge.centers.models import Strict
from surge.kernel.validation import SLUG_PATTERN, ZIP_PATTERN, clean_languages
from surge.kernel.clock import utc_column
from surge.kernel.i18n import N_


class CallEventKind(StrEnum):
    OFFERED = "offered"
    ANSWERED = "answered"
    ABANDONED = "abandoned"
    ENDED = "ended"
    OVERFLOWED = "overflowed"


class CallEvent(SQLModel, table=True):
    __tablename__ = "call_events"
    __table_args__ = (
        UniqueConstraint("center", "call_id", "event", name="uq_call_events_center_call_event"),
        Index("ix_call_events_at_center", "at", "center"),
        # Overflow counts for agreements' hourly caps; partial, as only overflowed events name a to_center.
        Index("ix_call_events_to_center_at", "to_center", "at", postgresql_where=text("to_center IS NOT NULL"),
              sqlite_where=text("to_center IS NOT NULL")),
    )

    # BIGINT on PostgreSQL (millions of events a season); SQLite's INTEGER PRIMARY KEY is already 64-bit.
    id: int | None = Field(default=None, sa_column=Column(BigInteger().with_variant(Integer(), "sqlite"),
                                                          primary_key=True, autoincrement=True))
    center: str = Field(sa_column=Column(String(63), ForeignKey("centers.slug"), nullable=False))
    call_id: str = Field(max_length=128)
    event: str = Field(max_length=16)
    at: datetime = Field(sa_column=utc_column(nullable=False))
    to_center: str | None = Field(default=None, sa_column=Column(String(63), ForeignKey("centers.slug"),
                                                                nullable=True))
    language: str | None = Field(default=None, max_length=35)
    caller_zip: str | None = Field(default=None, max_length=5)
    # The caller's county (from caller_zip), so in-region answer rates need no lookup at query time.
    caller_county: str | None = Field(default=None, max_length=5)


class CallSummary(SQLModel, table=True):
    """One row per call: its events pivoted (first offer, answer and abandon, last end, where it overflowed,
    the caller's county), merged as events arrive. The same as grouping `call_events` by call, kept up to
    date at insert, so the figures read one row a call instead of grouping millions of events each time."""

    __tablename__ = "call_summaries"
    __table_args__ = (
        Index("ix_call_summaries_offered_at", "offered_at"),
        Index("ix_call_summaries_center_offered_at", "center", "offered_at"),
        Index("ix_call_summaries_to_center_offered_at", "to_center", "offered_at",
              postgresql_where=text("to_center IS NOT NULL"), sqlite_where=text("to_center IS NOT NULL")),
        Index("ix_call_summaries_caller_county_offered_at", "caller_county", "offered_at",
              postgresql_where=text("caller_county IS NOT NULL"), sqlite_where=text("caller_county IS NOT NULL")),
    )

    center: str = Field(sa_column=Column(String(63), ForeignKey("centers.slug"), primary_key=True))
    call_id: str = Field(primary_key=True, max_length=128)
    offered_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    answered_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    abandoned_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    ended_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    to_center: str | None = Field(default=None, sa_column=Column(String(63), ForeignKey("centers.slug"),
                                                                nullable=True))
    caller_county: str | None = Field(default=None, max_length=5)


# --- input -----------------------------------------------------------------------------------------------

MAX_BATCH = 5000
FIRST_YEAR, LAST_YEAR = 1970, 2200  # bounds the arithmetic on times (a year 9999 plus a day overflows)
MAX_FUTURE = timedelta(days=1)  # a phone system's clock may run a little ahead; a year ahead is a bad feed
CALL_ID = re.compile(r"^[\x21-\x7e]{1,128}$")  # printable ASCII, no spaces: what phone systems use as ids


class CallEventIn(Strict):
    """One call event as a phone system, a CSV file or a queue_log line gives it."""

    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "event": N_("Use offered, answered, abandoned, ended or overflowed."),
        "at": N_("Give a time from 1970 to 2200 with its UTC offset, for example 2026-11-27T14:05:09-06:00."),
        "call_id": N_("Give the phone system's call id: 1 to 128 printable characters, no spaces."),
        "center": N_("Use the center's slug."),
        "to_center": N_("Use the slug of the center the call went to."),
        "caller_zip": N_("Use a five-digit ZIP code."),
    }

    center: str = PydanticField(max_length=63, pattern=SLUG_PATTERN.pattern)
    call_id: str = PydanticField(pattern=CALL_ID.pattern)
    event: CallEventKind
    at: datetime
    to_center: str | None = PydanticField(default=None, max_length=63, pattern=SLUG_PATTERN.pattern)
    language: str | None = PydanticField(default=None, max_length=35)
    caller_zip: str | None = PydanticField(default=None, pattern=ZIP_PATTERN.pattern)

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError(N_("Give the time with its UTC offset, for example 2026-11-27T14:05:09-06:00."))
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(N_("Give a time between the years 1970 and 2200."))
        return value.astimezone(timezone.utc)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return clean_languages([value])[0] if value else None
