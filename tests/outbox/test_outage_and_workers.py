"""A receiver down for an hour, and two workers at once: every message arrives, exactly once."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from surge.kernel.db import make_engine, run_in_transaction
from surge.outbox.delivery import Deliverer, Policy
from surge.outbox.models import OutboxMessage

from .conftest import START, enqueue_webhooks


def _states(engine) -> dict[str, int]:
    query = select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
    return dict(run_in_transaction(engine, lambda s: s.execute(query).all()))


def test_a_receiver_down_for_an_hour_gets_every_message_once_when_back(engine, receiver, webhook_clearinghouse,
                                                                       make_deliverer, clock):
    keys = enqueue_webhooks(engine, slug=webhook_clearinghouse, url=receiver.url, count=30, now=START)
    deliverer = make_deliverer(batch_size=50)
    receiver.status = 503
    attempts = 0
    while clock() < START + timedelta(hours=1):
        attempts += deliverer.run_once().total()
        clock.advance(30)
    assert receiver.received == [] and _states(engine) == {"pending": 30}
    assert attempts > 30 * 5  # retried all along, backing off

    receiver.status = 200
    for _ in range(2 * 3600 // 30):  # the longest wait is the cap (an hour), so two more hours is plenty
        deliverer.run_once()
        if _states(engine) == {"sent": 30}:
            break
        clock.advance(30)
    assert _states(engine) == {"sent": 30}
    assert sorted(receiver.keys()) == sorted(keys)
    assert max(Counter(receiver.keys()).values()) == 1


def test_two_workers_deliver_each_message_exactly_once(database_url, engine, receiver, webhook_clearinghouse, clock):
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers need PostgreSQL's FOR UPDATE SKIP LOCKED; SQLite runs one worker only")
    keys = enqueue_webhooks(engine, slug=webhook_clearinghouse, url=receiver.url, count=300, now=START)
    start = threading.Barrier(2)
    errors = []

    def work():
        own_engine = make_engine(database_url)
        deliverer = Deliverer(own_engine, policy=Policy(batch_size=7), smtp=None, clock=clock)
        try:
            start.wait()
            while deliverer.run_once().total():
                pass
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            deliverer.close()
            own_engine.dispose()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert _states(engine) == {"sent": 300}
    counts = Counter(receiver.keys())
    assert sorted(counts) == sorted(keys) and set(counts.values()) == {1}
