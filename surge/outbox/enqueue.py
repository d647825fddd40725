"""Writing messages into the outbox, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from surge.kernel.db import insert_many, upsert_insert
from surge.outbox.models import Channel, OutboxMessage, State

MAX_KEY = 200
PENDING = State.PENDING.value  # read once: an enum's value costs a lookup, thousands of times in a re-match


@dataclass(frozen=True)
class Notice:
    """What a person reads (subject, text) and what a partner system reads (payload), about one event."""

    topic: str
    subject: str
    text: str
    payload: dict = field(default_factory=dict)


def message_row(*, key: str, channel: Channel, recipient: str, notice: Notice, now: datetime,
                clearinghouse_slug: str | None = None) -> dict:
    body = {"text": notice.text} if channel is Channel.EMAIL else {"topic": notice.topic, **notice.payload}
    return {"key": key[:MAX_KEY], "channel": channel.value, "topic": notice.topic, "recipient": recipient,
            "clearinghouse_slug": clearinghouse_slug, "subject": notice.subject[:300], "body": body,
            "state": PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now}


def write(session: Session, rows: list[dict]) -> int:
    """Insert the rows in one statement; a key already present is left as it is. Answers how many were new."""
    if not rows:
        return 0
    # Rows as parameters, not one VALUES list: the statement compiles once and is cached, however many rows.
    # RETURNING counts the new rows on both databases (an executemany's rowcount does not).
    statement = upsert_insert(session, OutboxMessage.__table__).on_conflict_do_nothing(index_elements=["key"])
    return len(session.execute(statement.returning(OutboxMessage.__table__.c.id), rows).all())


def write_new(session: Session, rows: Iterable[dict]) -> None:
    """`write` for many rows whose keys are new by their making (each names an id this transaction created, and
    ids are never reused), in one bulk insert (`insert_many`): for thousands of notices a fraction of `write`'s
    cost. A key already there would fail the transaction, not be skipped."""
    insert_many(session, OutboxMessage.__table__, rows)


def clearinghouse_rows(clearinghouse, *, key: str, notice: Notice, now: datetime) -> list[dict]:
    """One e-mail per delivery address and one signed webhook, as the clearinghouse asked to be reached.
    `key` names the event; each destination gets its own key under it."""
    rows = [message_row(key=f"{key}:email:{address}", channel=Channel.EMAIL, recipient=address, notice=notice,
                        now=now) for address in clearinghouse.delivery_emails]
    if clearinghouse.webhook_url:
        rows.append(message_row(key=f"{key}:webhook", channel=Channel.WEBHOOK, recipient=clearinghouse.webhook_url,
                                notice=notice, now=now, clearinghouse_slug=clearinghouse.slug))
    return rows
