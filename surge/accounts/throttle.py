"""Slow down, then lock out, repeated failed log-ins for one e-mail address.

The decision is a pure function of the counters, so it is tested without a clock or a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from surge.accounts.models import LoginThrottle

FREE_FAILURES = 3  # typos are free; from then on each retry waits longer


@dataclass(frozen=True)
class Policy:
    max_failures: int
    lockout: timedelta


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds
    locked: bool = False


def decide(row: LoginThrottle | None, *, now: datetime) -> Verdict:
    if row is None:
        return Verdict(True)
    locked_until = row.locked_until
    if locked_until and locked_until > now:
        return Verdict(False, retry_after=int((locked_until - now).total_seconds()) + 1, locked=True)
    last = row.last_failure_at
    if row.failures >= FREE_FAILURES and last is not None:
        wait = timedelta(seconds=2 ** (row.failures - FREE_FAILURES))
        if now < last + wait:
            return Verdict(False, retry_after=int((last + wait - now).total_seconds()) + 1)
    return Verdict(True)


def check(session: Session, *, email: str, now: datetime) -> Verdict:
    return decide(session.get(LoginThrottle, email), now=now)


def record_failure(session: Session, *, email: str, now: datetime, policy: Policy) -> LoginThrottle:
    row = session.get(LoginThrottle, email) or LoginThrottle(email=email)
    locked_until = row.locked_until
    if locked_until and locked_until <= now:
        row.failures = 0  # a lockout served wipes the slate
        row.locked_until = None
    row.failures += 1
    row.last_failure_at = now
    if row.failures >= policy.max_failures:
        row.locked_until = now + policy.lockout
    session.add(row)
    session.flush()
    return row


def record_success(session: Session, *, email: str) -> None:
    row = session.get(LoginThrottle, email)
    if row is not None:
        session.delete(row)
        session.flush()
