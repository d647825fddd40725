"""Writing to the outbox: one message per key, in the caller's transaction."""

from datetime import datetime, timezone

import pytest
from sqlmodel import select

from clearinghouse import registry
from surge.kernel.db import run_in_transaction, unit_of_work
from surge.outbox import enqueue
from surge.outbox.enqueue import Notice
from surge.outbox.models import Channel, OutboxMessage

NOW = datetime(2026, 9, 1, 12, tzinfo=timezone.utc)
NOTICE = Notice(topic="test.event", subject="Hello", text="Body", payload={"n": 1})


def _rows(engine, prefix):
    with unit_of_work(engine) as session:
        return session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith(prefix))).all()


def test_a_key_is_written_once(engine):
    row = enqueue.message_row(key="once:1", channel=Channel.EMAIL, recipient="a@example.org", notice=NOTICE, now=NOW)
    assert run_in_transaction(engine, lambda s: enqueue.write(s, [row])) == 1
    assert run_in_transaction(engine, lambda s: enqueue.write(s, [row])) == 0
    [stored] = _rows(engine, "once:")
    assert (stored.state, stored.attempts, stored.body) == ("pending", 0, {"text": "Body"})


def test_a_rolled_back_change_sends_nothing(engine):
    row = enqueue.message_row(key="rollback:1", channel=Channel.EMAIL, recipient="a@example.org", notice=NOTICE,
                              now=NOW)
    with pytest.raises(RuntimeError):
        with unit_of_work(engine) as session:
            enqueue.write(session, [row])
            raise RuntimeError("the change failed")
    assert _rows(engine, "rollback:") == []


def test_a_clearinghouse_gets_each_address_and_its_signed_webhook(engine, make_clearinghouse):
    make_clearinghouse("outbox-ch", delivery={"emails": ["a@example.org", "b@example.org"],
                                              "webhook_url": "https://hooks.example.org/surge",
                                              "webhook_secret": "s" * 24})
    clearinghouse = run_in_transaction(engine, lambda s: registry.find(s, "outbox-ch"))
    rows = enqueue.clearinghouse_rows(clearinghouse, key="ch:incident-x:activated", notice=NOTICE, now=NOW)
    run_in_transaction(engine, lambda s: enqueue.write(s, rows))
    stored = {m.key: m for m in _rows(engine, "ch:incident-x:")}
    assert sorted(stored) == ["ch:incident-x:activated:email:a@example.org", "ch:incident-x:activated:email:b@example.org",
                              "ch:incident-x:activated:webhook"]
    webhook = stored["ch:incident-x:activated:webhook"]
    assert (webhook.recipient, webhook.clearinghouse_slug) == ("https://hooks.example.org/surge", "outbox-ch")
    assert webhook.body == {"topic": "test.event", "n": 1}
