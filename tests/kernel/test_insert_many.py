"""Bulk inserts: every value arrives as given, on both databases, whatever characters a text holds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlmodel import select

from surge.kernel.audit import AuditEntry
from surge.kernel.db import insert_many, unit_of_work
from surge.outbox import enqueue
from surge.outbox.models import Channel, OutboxMessage

AWKWARD = ["tab\there", "line\nbreak", "back\\slash", "\\N", "quote \" and ' ", "comma, semi;", "ünïcødé ✓", ""]


def test_rows_arrive_as_given(engine):
    at = datetime(2026, 9, 3, 12, 30, 15, 123456, tzinfo=timezone.utc)
    rows = [{"at": at + timedelta(seconds=n), "actor": text, "action": "bulk.test", "target_type": "t",
             "target_id": str(n), "diff": "{}", "count": n + 1, "last_at": None if n % 2 else at}
            for n, text in enumerate(AWKWARD)]
    with unit_of_work(engine) as session:
        insert_many(session, AuditEntry.__table__, rows)
        insert_many(session, AuditEntry.__table__, [])  # nothing to do
    with unit_of_work(engine) as session:
        stored = session.exec(select(AuditEntry).where(AuditEntry.action == "bulk.test")
                              .order_by(AuditEntry.count)).all()
    assert [(r.at, r.actor, r.target_id, r.count, r.last_at) for r in stored] == [
        (row["at"], row["actor"], row["target_id"], row["count"], row["last_at"]) for row in rows]


def test_a_failed_bulk_insert_leaves_nothing(engine):
    rows = [{"at": datetime.now(timezone.utc), "actor": "a", "action": "bulk.bad", "target_type": "", "target_id": "",
             "diff": "{}", "count": 1, "last_at": None},
            {"at": None, "actor": "b", "action": "bulk.bad", "target_type": "", "target_id": "", "diff": "{}",
             "count": 1, "last_at": None}]  # a time is required: the second row breaks the insert
    try:
        with unit_of_work(engine) as session:
            insert_many(session, AuditEntry.__table__, rows)
    except Exception as error:  # the database's own integrity error, whichever database
        assert "null" in str(error).lower()
    else:
        raise AssertionError("the insert should have failed")
    with unit_of_work(engine) as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "bulk.bad")).all() == []


def test_json_values_arrive_as_given(engine):
    at = datetime(2026, 9, 3, 12, tzinfo=timezone.utc)
    notices = [enqueue.Notice(topic="bulk.test", subject=text, text=text, payload={"said": text, "n": [n, None]})
               for n, text in enumerate(AWKWARD)]
    rows = [enqueue.message_row(key=f"bulk:{n}", channel=Channel.WEBHOOK if n % 2 else Channel.EMAIL,
                                recipient="https://hooks.example.org/x", notice=notice, now=at)
            for n, notice in enumerate(notices)]
    with unit_of_work(engine) as session:
        enqueue.write_new(session, rows)
    with unit_of_work(engine) as session:
        stored = session.exec(select(OutboxMessage).where(OutboxMessage.topic == "bulk.test")
                              .order_by(OutboxMessage.id)).all()
    assert [(m.key, m.subject, m.body, m.next_attempt_at) for m in stored] == [
        (row["key"], row["subject"], row["body"], at) for row in rows]
