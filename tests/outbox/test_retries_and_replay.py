"""A failing receiver: retries with backoff, then dead; dead messages in the API and the page; replay."""

from datetime import timedelta

import pytest

from tests.conftest import csrf_from

from .conftest import START, enqueue_webhooks, message


def _fail_until_dead(engine, receiver, deliverer, clock, key, *, attempts: int):
    receiver.status = 500
    previous = None
    for n in range(1, attempts + 1):
        report = deliverer.run_once()
        stored = message(engine, key)
        assert stored.attempts == n
        assert stored.last_error == "HTTP 500: receiver unavailable"
        if n < attempts:
            assert report.total("failed") == 1 and stored.state == "pending"
            wait = stored.next_attempt_at - clock()
            assert timedelta(0) <= wait <= timedelta(seconds=10 * 2 ** (n - 1))  # base 10, doubling, jittered
            assert deliverer.run_once().total() == 0 or wait == timedelta(0)  # not due again before its time
            clock.now = stored.next_attempt_at
        else:
            assert report.total("dead") == 1 and stored.state == "dead"
        previous = stored
    return previous


def test_a_failing_message_is_retried_then_dead_then_replayed(engine, app, client, receiver, webhook_clearinghouse,
                                                               make_deliverer, make_token, clock):
    app.state.clock = clock
    [key] = enqueue_webhooks(engine, slug=webhook_clearinghouse, url=receiver.url, count=1, now=START)
    deliverer = make_deliverer(max_attempts=3, backoff_base=10, backoff_cap=100)
    _fail_until_dead(engine, receiver, deliverer, clock, key, attempts=3)
    clock.advance(10_000)
    assert deliverer.run_once().total() == 0  # dead stays dead

    headers = {"authorization": f"Bearer {make_token(role='admin')}"}
    listed = client.get("/api/v1/outbox?state=dead", headers=headers)
    assert listed.status_code == 200
    [dead] = listed.json()["messages"]
    assert listed.json()["total"] == 1
    assert {k: dead[k] for k in ("key", "channel", "topic", "recipient", "attempts", "last_error")} == {
        "key": key, "channel": "webhook", "topic": "incident.activated", "recipient": receiver.url, "attempts": 3,
        "last_error": "HTTP 500: receiver unavailable"}
    assert set(dead) == {"id", "key", "channel", "topic", "recipient", "attempts", "next_attempt_at", "last_error",
                         "created_at", "sent_at"}  # no body, no secret

    replayed = client.post(f"/api/v1/outbox/{dead['id']}/replay", headers=headers)
    assert replayed.status_code == 200 and replayed.json()["attempts"] == 0
    assert client.post(f"/api/v1/outbox/{dead['id']}/replay", headers=headers).status_code == 409
    audit = client.get("/api/v1/audit", headers=headers).json()["entries"]
    assert audit[0]["action"] == "outbox.replay" and audit[0]["target_id"] == str(dead["id"])
    assert audit[0]["actor"].startswith("token:")

    receiver.status = 200
    assert deliverer.run_once().total("sent") == 1
    assert receiver.keys() == [key]
    assert message(engine, key).state == "sent"
    assert client.get("/api/v1/outbox?state=sent", headers=headers).json()["total"] == 1


def test_the_page_lists_dead_messages_and_replays_one(engine, app, client, login, make_user, receiver,
                                                      webhook_clearinghouse, make_deliverer, clock):
    app.state.clock = clock
    [key] = enqueue_webhooks(engine, slug=webhook_clearinghouse, url=receiver.url, count=1, now=START)
    _fail_until_dead(engine, receiver, make_deliverer(max_attempts=1), clock, key, attempts=1)
    make_user("admin", email="admin@example.org")
    login("admin@example.org")
    page = client.get("/admin/outbox")
    assert page.status_code == 200
    assert "HTTP 500: receiver unavailable" in page.text and receiver.url in page.text
    assert "SURGE_SMTP_HOST" in page.text  # e-mail is off in the test settings, and the page says so
    assert 'href="/admin/outbox"' in page.text  # linked from the navigation
    stored = message(engine, key)
    refused = client.post(f"/admin/outbox/{stored.id}/replay", data={"csrf_token": "forged"}, follow_redirects=False)
    assert refused.status_code == 403 and message(engine, key).state == "dead"
    done = client.post(f"/admin/outbox/{stored.id}/replay", data={"csrf_token": csrf_from(page.text)},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/admin/outbox?replayed={stored.id}"
    assert message(engine, key).state == "pending"
    spanish = client.get(f"/admin/outbox?replayed={stored.id}&lang=es")
    assert "No hay mensajes muertos." in spanish.text


@pytest.mark.parametrize("role", ["emergency_manager", "supervisor", "partner", "clearinghouse"])
def test_only_admins_see_the_outbox(client, make_token, make_user, login, role):
    headers = {"authorization": f"Bearer {make_token(role=role)}"}
    assert client.get("/api/v1/outbox", headers=headers).status_code == 403
    assert client.post("/api/v1/outbox/1/replay", headers=headers).status_code == 403
    assert client.get("/api/v1/outbox").status_code == 401
    make_user(role, email=f"{role}@example.org")
    login(f"{role}@example.org")
    assert client.get("/admin/outbox").status_code == 403
    assert 'href="/admin/outbox"' not in client.get("/").text


def test_the_page_size_is_bounded(client, make_token):
    headers = {"authorization": f"Bearer {make_token(role='admin')}"}
    assert client.get("/api/v1/outbox?page_size=201", headers=headers).status_code == 422
    assert client.get("/api/v1/outbox?state=lost", headers=headers).status_code == 422
    assert client.post("/api/v1/outbox/999999/replay", headers=headers).status_code == 404
