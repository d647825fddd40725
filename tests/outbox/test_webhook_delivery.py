"""Webhooks reach a real local HTTP receiver, signed so the receiver can check them."""

import hashlib
import hmac
import json

import httpx
from sqlalchemy import update

from clearinghouse.models import Clearinghouse
from surge.kernel.db import run_in_transaction
from surge.outbox import webhook
from surge.outbox.delivery import NO_SECRET

from .conftest import SECRET, START, enqueue_webhooks, message


def verify(secret: str, headers: dict, raw: bytes) -> bool:
    """What a receiver does, following the README's recipe."""
    signed = headers["x-surge-timestamp"].encode() + b"." + raw
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["x-surge-signature"])


def test_a_webhook_is_posted_signed_and_marked_sent(engine, receiver, webhook_clearinghouse, make_deliverer, clock):
    [key] = enqueue_webhooks(engine, slug=webhook_clearinghouse, url=receiver.url, count=1, now=START)
    report = make_deliverer().run_once()
    assert report.total("sent") == 1
    [got] = receiver.received
    assert got.path == "/hooks/surge"
    assert got.headers["content-type"] == "application/json"
    assert got.headers["idempotency-key"] == key
    assert got.headers["x-surge-topic"] == "incident.activated"
    assert got.headers["x-surge-timestamp"] == str(int(clock().timestamp()))
    assert verify(SECRET, got.headers, got.raw)
    assert not verify("another-secret-entirely", got.headers, got.raw)
    assert got.raw == json.dumps(got.json, separators=(",", ":"), sort_keys=True).encode()  # compact, sorted
    assert got.json == {"incident": "zeta", "topic": "incident.activated"}
    stored = message(engine, key)
    assert (stored.state, stored.attempts, stored.sent_at) == ("sent", 0, clock())
    assert make_deliverer().run_once().total() == 0  # sent once, never again


def test_a_webhook_without_a_secret_is_never_sent_unsigned(engine, receiver, make_clearinghouse, make_deliverer):
    slug = make_clearinghouse("unsigned-ch", delivery={"webhook_url": receiver.url})
    [key] = enqueue_webhooks(engine, slug=slug, url=receiver.url, count=1, now=START)
    report = make_deliverer().run_once()
    assert report.total("failed") == 1 and receiver.received == []
    stored = message(engine, key)
    assert (stored.state, stored.attempts, stored.last_error) == ("pending", 1, NO_SECRET)


def test_a_rotated_secret_signs_messages_already_waiting(engine, receiver, webhook_clearinghouse, make_deliverer):
    enqueue_webhooks(engine, slug=webhook_clearinghouse, url=receiver.url, count=1, now=START)
    run_in_transaction(engine, lambda s: s.execute(update(Clearinghouse).where(Clearinghouse.slug == webhook_clearinghouse)
                                                   .values(webhook_secret="rotated-secret-0123456789")))
    make_deliverer().run_once()
    [got] = receiver.received
    assert verify("rotated-secret-0123456789", got.headers, got.raw)


def test_redirects_are_not_followed_and_errors_keep_no_secret(engine, webhook_clearinghouse, make_deliverer):
    def answer(request):
        return httpx.Response(302, headers={"Location": "https://elsewhere.example/"}, text="moved")

    deliverer = make_deliverer()
    deliverer.client = webhook.make_client(timeout=5, transport=httpx.MockTransport(answer))
    [key] = enqueue_webhooks(engine, slug=webhook_clearinghouse, url="https://hooks.example.org/x", count=1, now=START)
    assert deliverer.run_once().total("failed") == 1
    stored = message(engine, key)
    assert stored.last_error == "HTTP 302: moved" and SECRET not in stored.last_error


def test_an_unreachable_receiver_is_a_failed_attempt(engine, webhook_clearinghouse, make_deliverer):
    from .conftest import free_port

    url = f"http://127.0.0.1:{free_port()}/nobody-listens"
    [key] = enqueue_webhooks(engine, slug=webhook_clearinghouse, url=url, count=1, now=START)
    assert make_deliverer().run_once().total("failed") == 1
    assert message(engine, key).last_error.startswith("ConnectError")
