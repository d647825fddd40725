"""The call event table: one row per (center, call, event), so a replayed event stores nothing new."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from surge.kernel.clock import utc_column


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
