"""The audit log: who did what to which record, written in the same transaction as the change."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Text
from sqlmodel import Field, Session, SQLModel

from surge.clock import utc_column, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False, index=True))
    actor: str = Field(max_length=200, index=True)
    action: str = Field(max_length=100, index=True)
    target_type: str = Field(default="", max_length=100)
    target_id: str = Field(default="", max_length=200)
    diff: str = Field(default="{}", sa_column=Column(Text, nullable=False))


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    target_type: str = "",
    target_id: str | int = "",
    diff: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one audit row to the caller's transaction; flushed, never committed here."""
    entry = AuditEntry(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        diff=json.dumps(diff or {}, default=str, sort_keys=True),
    )
    session.add(entry)
    session.flush()
    return entry
