"""Real local receivers for the outbox: an SMTP server (aiosmtpd) and an HTTP server on free ports."""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from surge.kernel.db import run_in_transaction
from surge.outbox import enqueue
from surge.outbox.enqueue import Notice
from surge.outbox.models import Channel

# Near the real time, so log-ins (which the real clock expires) and the fake clock agree.
START = datetime.now(timezone.utc).replace(microsecond=0)
SECRET = "whsec-test-0123456789abcdef"


class FakeClock:
    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock():
    return FakeClock()


@dataclass
class Received:
    path: str
    headers: dict
    raw: bytes

    @property
    def json(self):
        return json.loads(self.raw)


@dataclass
class Receiver:
    url: str
    received: list = field(default_factory=list)
    status: int = 200  # what it answers; set to 503 for a receiver that is down

    def keys(self) -> list[str]:
        return [r.headers["idempotency-key"] for r in self.received]


@pytest.fixture
def receiver():
    box = Receiver(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = box.status
            if status < 300:
                with lock:
                    box.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, raw))
            reply = b"ok" if status < 300 else b"receiver unavailable"
            self.send_response(status)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    box.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/surge"
    yield box
    server.shutdown()
    server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Mailbox:
    port: int
    messages: list = field(default_factory=list)
    greetings: int = 0  # one EHLO per connection


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    box = Mailbox(port=free_port())

    class Handler:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            box.greetings += 1
            session.host_name = hostname
            return responses

        async def handle_DATA(self, server, session, envelope):
            box.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                                 message_from_bytes(envelope.original_content, policy=policy.default)))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


NOTICE = Notice(topic="incident.activated", subject="Hurricane Zeta activated", text="Disaster mode is on.",
                payload={"incident": "zeta"})


@pytest.fixture
def webhook_clearinghouse(make_clearinghouse, receiver):
    """A clearinghouse whose webhook is the local receiver, signed with SECRET."""
    return make_clearinghouse("hooked-ch", delivery={"webhook_url": receiver.url, "webhook_secret": SECRET})


def enqueue_webhooks(engine, *, slug: str, url: str, count: int, now: datetime, prefix: str = "evt") -> list[str]:
    rows = [enqueue.message_row(key=f"{prefix}:{i}:webhook", channel=Channel.WEBHOOK, recipient=url, notice=NOTICE,
                                now=now, clearinghouse_slug=slug) for i in range(count)]
    run_in_transaction(engine, lambda s: enqueue.write(s, rows))
    return [row["key"] for row in rows]


def enqueue_email(engine, *, to: str, now: datetime, key: str = "evt:mail", body: dict | None = None) -> str:
    row = enqueue.message_row(key=key, channel=Channel.EMAIL, recipient=to, notice=NOTICE, now=now)
    if body is not None:
        row["body"] = body
    run_in_transaction(engine, lambda s: enqueue.write(s, [row]))
    return key


@pytest.fixture
def make_deliverer(engine, clock):
    """A Deliverer on the test database and the fake clock; closed after the test."""
    import random

    from surge.outbox.delivery import Deliverer, Policy

    made = []

    def make(*, smtp=None, seed: int = 7, **policy):
        deliverer = Deliverer(engine, policy=Policy(**policy), smtp=smtp, webhook_timeout=5, clock=clock,
                              uniform=random.Random(seed).uniform)
        made.append(deliverer)
        return deliverer

    yield make
    for deliverer in made:
        deliverer.close()


def message(engine, key: str):
    from sqlmodel import select

    from surge.outbox.models import OutboxMessage

    return run_in_transaction(engine, lambda s: s.exec(select(OutboxMessage).where(OutboxMessage.key == key)).one())
