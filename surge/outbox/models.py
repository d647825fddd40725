"""One row per message to send. The row is the promise: it is written with the change that causes it,
so a change that rolls back sends nothing and a committed one is sent even after a crash."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from surge.kernel.clock import utc_column, utcnow
from surge.kernel.db import json_column


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class State(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"  # out of attempts: waits for an administrator to replay it


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "state", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # One message per key, ever: writing the same key twice (a retried request, a replayed job) is a no-op,
    # and the receiver gets the key as Idempotency-Key so it can drop a repeat of its own.
    key: str = Field(max_length=200, unique=True)
    channel: str = Field(max_length=10)
    topic: str = Field(max_length=60, index=True)  # what happened, e.g. incident.activated
    recipient: str = Field(max_length=2000)  # an e-mail address or a webhook URL
    # Whose webhook secret signs it; read at send time so a rotated secret applies to waiting messages.
    clearinghouse_slug: str | None = Field(default=None, max_length=63, index=True)
    subject: str = Field(default="", max_length=300)
    body: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
    state: str = Field(default=State.PENDING.value, max_length=10)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
