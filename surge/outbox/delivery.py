"""One delivery run: claim due messages, send each, record the outcomes. Pure of any scheduler."""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
from sqlalchemy.engine import Engine

from surge.kernel.clock import Clock, utcnow
from surge.kernel.db import run_in_transaction
from surge.outbox import claim as claims
from surge.outbox import webhook
from surge.outbox.backoff import Uniform, delay, trim_error
from surge.outbox.models import Channel
from surge.outbox.smtp import EmailFailed, Mailer, SmtpConfig, build_message

NO_SECRET = "no webhook secret set"


@dataclass(frozen=True)
class Policy:
    max_attempts: int = 16
    backoff_base: float = 30
    backoff_cap: float = 3600
    batch_size: int = 50
    # How long a claim holds its rows; a run stops sending at half of it (real time), so a slow receiver
    # never lets the lease lapse under a message still being sent.
    lease: timedelta = timedelta(minutes=5)

    @classmethod
    def from_settings(cls, settings) -> "Policy":
        return cls(max_attempts=settings.outbox_max_attempts, backoff_base=settings.outbox_backoff_base_s,
                   backoff_cap=settings.outbox_backoff_cap_s, batch_size=settings.outbox_batch_size)


@dataclass
class Report:
    """What one run did: counts by (channel, outcome), outcome being sent, failed or dead."""

    counts: Counter = field(default_factory=Counter)

    def add(self, channel: str, outcome: str) -> None:
        self.counts[(channel, outcome)] += 1

    def total(self, outcome: str | None = None) -> int:
        return sum(n for (_channel, kind), n in self.counts.items() if outcome in (None, kind))


class Deliverer:
    """Sends the outbox. One per worker process: it keeps one HTTP client (keep-alive) for every run."""

    def __init__(self, engine: Engine, *, policy: Policy, smtp: SmtpConfig | None, webhook_timeout: float = 10,
                 clock: Clock = utcnow, uniform: Uniform = random.uniform,
                 transport: httpx.BaseTransport | None = None):
        self.engine = engine
        self.policy = policy
        self.smtp = smtp  # None: e-mail delivery is off, and e-mail rows are left untouched
        self.clock = clock
        self.uniform = uniform
        self.client = webhook.make_client(timeout=webhook_timeout, transport=transport)

    def close(self) -> None:
        self.client.close()

    @property
    def channels(self) -> list[str]:
        return [Channel.WEBHOOK.value] + ([Channel.EMAIL.value] if self.smtp else [])

    def run_once(self) -> Report:
        now = self.clock()
        claimed, secrets = run_in_transaction(self.engine, self._claim, now=now)
        report = Report()
        if not claimed:
            return report
        sent: list[int] = []
        failed: list[tuple[claims.Claimed, str]] = []
        started = time.monotonic()
        budget = self.policy.lease.total_seconds() / 2
        left = list(claimed)
        with Mailer(self.smtp) if self.smtp else _NoMailer() as mailer:
            while left and time.monotonic() - started < budget:
                message = left.pop(0)
                error = self._send(message, mailer=mailer, secrets=secrets, now=now)
                if error is None:
                    sent.append(message.id)
                else:
                    failed.append((message, error))
        run_in_transaction(self.engine, self._record, sent=sent, failed=failed, left=left, report=report,
                           claimed=claimed)
        return report

    def _claim(self, session, *, now):
        claimed = claims.claim(session, now=now, limit=self.policy.batch_size, channels=self.channels,
                               lease=self.policy.lease)
        slugs = {m.clearinghouse_slug for m in claimed if m.channel == Channel.WEBHOOK.value and m.clearinghouse_slug}
        return claimed, claims.webhook_secrets(session, slugs)

    def _send(self, message: claims.Claimed, *, mailer, secrets: dict[str, str], now) -> str | None:
        """None when the message went; otherwise why it did not."""
        try:
            if message.channel == Channel.EMAIL.value:
                mailer.send(build_message(key=message.key, sender=self.smtp.sender, recipient=message.recipient,
                                          subject=message.subject, body=message.body))
            elif message.channel == Channel.WEBHOOK.value:
                secret = secrets.get(message.clearinghouse_slug or "")
                if not secret:
                    return NO_SECRET  # never sent unsigned: the receiver could not tell it from a forgery
                raw = webhook.encode(message.body)
                webhook.post(self.client, message.recipient, raw=raw, headers=webhook.headers(
                    key=message.key, topic=message.topic, timestamp=int(now.timestamp()), secret=secret, raw=raw))
            else:
                return f"unknown channel {message.channel!r}"
        except (EmailFailed, webhook.WebhookFailed) as exc:
            return str(exc)
        return None

    def _record(self, session, *, sent, failed, left, report, claimed) -> None:
        now = self.clock()
        claims.mark_sent(session, sent, now=now)
        went = set(sent)
        claims.forget_attachments(session, [m for m in claimed if m.id in went])
        channel_of = {m.id: m.channel for m in claimed}
        for message_id in sent:
            report.add(channel_of[message_id], "sent")
        for message, error in failed:
            attempts = message.attempts + 1
            dead = attempts >= self.policy.max_attempts
            wait = delay(attempts, base=self.policy.backoff_base, cap=self.policy.backoff_cap, uniform=self.uniform)
            claims.mark_failed(session, message.id, attempts=attempts, error=trim_error(error),
                               next_attempt_at=now + timedelta(seconds=wait), dead=dead)
            report.add(message.channel, "dead" if dead else "failed")
        claims.release(session, [m.id for m in left], now=now)


class _NoMailer:
    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        return None
