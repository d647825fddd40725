"""Taking due messages and recording what became of them.

A claim is a lease written into the row itself: the claimed rows' next_attempt_at moves to the end of
the lease, in the short transaction that took them. Sending happens outside any transaction, and the
outcome is written in another short one. On PostgreSQL, the rows are chosen with
`FOR UPDATE SKIP LOCKED`, so several workers never take the same row; a worker that dies mid-run
leaves its rows to come due again when the lease ends. SQLite has no row locks: one worker only
(`surge worker` refuses a second on the same file).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from clearinghouse.models import Clearinghouse
from surge.outbox.models import OutboxMessage, State

_table = OutboxMessage.__table__


@dataclass(frozen=True)
class Claimed:
    id: int
    key: str
    channel: str
    topic: str
    recipient: str
    clearinghouse_slug: str | None
    subject: str
    body: dict
    attempts: int


def claim(session: Session, *, now: datetime, limit: int, channels: list[str], lease: timedelta) -> list[Claimed]:
    """Up to `limit` due messages of these channels, oldest due first, leased until now + lease."""
    if not channels:
        return []
    c = _table.c
    due = (select(c.id, c.key, c.channel, c.topic, c.recipient, c.clearinghouse_slug, c.subject, c.body, c.attempts)
           .where(c.state == State.PENDING.value, c.next_attempt_at <= now, c.channel.in_(channels))
           .order_by(c.next_attempt_at, c.id).limit(limit)
           .with_for_update(skip_locked=True))
    rows = [Claimed(**row._mapping) for row in session.execute(due)]
    if rows:
        session.execute(update(_table).where(c.id.in_([row.id for row in rows])).values(next_attempt_at=now + lease))
    return rows


def webhook_secrets(session: Session, slugs: set[str]) -> dict[str, str]:
    """Each clearinghouse's current secret (read when sending, so a rotated secret applies at once)."""
    if not slugs:
        return {}
    found = session.execute(select(Clearinghouse.slug, Clearinghouse.webhook_secret)
                            .where(Clearinghouse.slug.in_(sorted(slugs))))
    return {slug: secret for slug, secret in found if secret}


def mark_sent(session: Session, ids: list[int], *, now: datetime) -> None:
    if ids:
        session.execute(update(_table).where(_table.c.id.in_(ids), _table.c.state == State.PENDING.value)
                        .values(state=State.SENT.value, sent_at=now, last_error=None))


def without_attachments(body: dict) -> dict:
    """The body with each attachment's content dropped, its name, type and size kept: a sent message's
    attachment is in the recipient's hands, and the outbox need not keep a copy per recipient (a brief's PDF,
    160 KB at surge scale, for every subscriber of every brief)."""
    return {**body, "attachments": [
        {"filename": item.get("filename"), "content_type": item.get("content_type"),
         "bytes": len(base64.b64decode(item.get("base64") or "")) if "base64" in item else item.get("bytes")}
        for item in body.get("attachments") or []]}


def forget_attachments(session: Session, sent: list[Claimed]) -> None:
    """Drop the attachments' content from the messages just sent (see `without_attachments`)."""
    carrying = [{"sent_id": message.id, "lighter": without_attachments(message.body)} for message in sent
                if any("base64" in item for item in message.body.get("attachments") or [])]
    if carrying:
        session.execute(update(_table).where(_table.c.id == bindparam("sent_id"), _table.c.state == State.SENT.value)
                        .values(body=bindparam("lighter")), carrying)


def mark_failed(session: Session, message_id: int, *, attempts: int, error: str, next_attempt_at: datetime,
                dead: bool) -> None:
    session.execute(update(_table).where(_table.c.id == message_id, _table.c.state == State.PENDING.value)
                    .values(attempts=attempts, last_error=error, next_attempt_at=next_attempt_at,
                            state=State.DEAD.value if dead else State.PENDING.value))


def release(session: Session, ids: list[int], *, now: datetime) -> None:
    """Give back claimed rows this run did not get to: due again at once, no attempt counted."""
    if ids:
        session.execute(update(_table).where(_table.c.id.in_(ids), _table.c.state == State.PENDING.value)
                        .values(next_attempt_at=now))
