"""The audit log: who did what to which record, written in the same transaction as the change."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, Iterable

from pydantic import BaseModel
from sqlalchemy import Column, Integer, Text, delete, func, insert, update
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
    # A flood of identical events is one row: how many, and when the last one came.
    count: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))
    last_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class AuditView(BaseModel, frozen=True):
    """One entry as pages and the API show it."""

    id: int
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    diff: dict[str, Any]
    count: int = 1
    last_at: datetime | None = None


_INSERT = insert(AuditEntry.__table__)


def _values(*, actor: str, action: str, target_type: str, target_id: str | int, diff: dict[str, Any] | None,
            **extra) -> dict[str, Any]:
    """A row's values, with its names cut to the columns and its diff as stable JSON."""
    return {"at": extra.pop("at", None) or utcnow(), "actor": actor[:NAME_LENGTH], "action": action,
            "target_type": target_type, "target_id": str(target_id)[:NAME_LENGTH],
            "diff": json.dumps(diff or {}, default=str, sort_keys=True), **extra}


def _entry(**fields) -> AuditEntry:
    return AuditEntry(**_values(**fields))


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    target_type: str = "",
    target_id: str | int = "",
    diff: dict[str, Any] | None = None,
) -> None:
    """Add one audit row to the caller's transaction: written now, never committed here."""
    session.execute(_INSERT,
                    _values(actor=actor, action=action, target_type=target_type, target_id=target_id, diff=diff))


def record_repeated(
    session: Session,
    *,
    actor: str,
    action: str,
    now: datetime,
    window: timedelta,
    target_type: str = "",
    target_id: str | int = "",
    diff: dict[str, Any] | None = None,
) -> None:
    """Count an event into the row of the same event begun within `window`, or start a new row.

    An attacker repeating one failure fills one row, not the table. The count goes up in the database
    (`count = count + 1`), so parallel repeats are never lost.
    """
    entry = _entry(actor=actor, action=action, target_type=target_type, target_id=target_id, diff=diff,
                   at=now, last_at=now)
    same = (select(AuditEntry.id)
            .where(AuditEntry.action == action, AuditEntry.actor == entry.actor,
                   AuditEntry.target_type == target_type, AuditEntry.target_id == entry.target_id,
                   AuditEntry.diff == entry.diff, AuditEntry.at >= now - window)
            .order_by(AuditEntry.id.desc()).limit(1))
    found = session.exec(same).first()
    if found is None:
        session.add(entry)
    else:
        session.execute(update(AuditEntry).where(AuditEntry.id == found)
                        .values(count=AuditEntry.count + 1, last_at=now))
    session.flush()


def prune(session: Session, *, actions: Iterable[str], before: datetime) -> int:
    """Delete entries of these actions whose last event is older than `before`; returns how many."""
    last = func.coalesce(AuditEntry.last_at, AuditEntry.at)
    done = session.execute(delete(AuditEntry).where(AuditEntry.action.in_(list(actions)), last < before))
    return done.rowcount or 0


def recent(session: Session, *, limit: int, actor: str | None = None) -> list[AuditView]:
    """The newest entries first, optionally only one actor's."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    return [AuditView(id=e.id, at=e.at, actor=e.actor, action=e.action, target_type=e.target_type,
                      target_id=e.target_id, diff=json.loads(e.diff), count=e.count, last_at=e.last_at)
            for e in session.exec(query)]
