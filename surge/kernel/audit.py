"""The audit log: who did what to which record, written in the same transaction as the change."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Column, Text
from sqlmodel import Field, Session, SQLModel, select

from surge.kernel.clock import utc_column, utcnow

# Wide enough for "user:<id>:" and a 320-character e-mail address, the longest an actor or target can be.
NAME_LENGTH = 400


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False, index=True))
    actor: str = Field(max_length=NAME_LENGTH, index=True)
    action: str = Field(max_length=100, index=True)
    target_type: str = Field(default="", max_length=100)
    target_id: str = Field(default="", max_length=NAME_LENGTH)
    diff: str = Field(default="{}", sa_column=Column(Text, nullable=False))


class AuditView(BaseModel, frozen=True):
    """One entry as pages and the API show it."""

    id: int
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    diff: dict[str, Any]


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    target_type: str = "",
    target_id: str | int = "",
    diff: dict[str, Any] | None = None,
) -> None:
    """Add one audit row to the caller's transaction; flushed, never committed here."""
    session.add(AuditEntry(
        actor=actor[:NAME_LENGTH],
        action=action,
        target_type=target_type,
        target_id=str(target_id)[:NAME_LENGTH],
        diff=json.dumps(diff or {}, default=str, sort_keys=True),
    ))
    session.flush()


def recent(session: Session, *, limit: int, actor: str | None = None) -> list[AuditView]:
    """The newest entries first, optionally only one actor's."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    return [AuditView(id=e.id, at=e.at, actor=e.actor, action=e.action, target_type=e.target_type,
                      target_id=e.target_id, diff=json.loads(e.diff)) for e in session.exec(query)]
