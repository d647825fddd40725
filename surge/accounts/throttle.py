"""Slow down, then lock out, repeated failed log-ins: per (account, client address), and per address.

The rule (README, Security): failures count against the pair (account, address), so a stranger's
guesses lock the account only from the stranger's own connection and the owner, elsewhere, still
gets in. A second row per address counts failures across every account, so one connection cannot
spray guesses over many accounts either.

An attempt is claimed before its password is checked: the check and the count are one step under a
row lock (PostgreSQL `FOR UPDATE`; on SQLite the first write takes the database's single write lock),
committed before the slow hash. Parallel guesses therefore queue on the row and each sees the
others' counts; a success afterwards gives its count back.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, or_, select
from sqlmodel import Session

from surge.access import permissions
from surge.access.principal import Principal
from surge.accounts.models import LoginThrottle, normal_email
from surge.kernel import audit
from surge.kernel.db import upsert_insert

FREE_FAILURES = 3  # typos are free; from then on each retry waits longer
ANY_ACCOUNT = ""  # the account column of the per-address row
ADDRESS_LENGTH = 64

Reason = Literal["locked", "slowed", "address_locked"]


@dataclass(frozen=True)
class Policy:
    max_failures: int
    lockout: timedelta
    address_max_failures: int = 20


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds
    reason: Reason | None = None
    # When allowed: what this attempt costs if its password is wrong.
    tries_left: int = 0  # further failures before the lock, after this one
    locks_on_failure: bool = False


def address_key(address: str) -> str:
    """What limits count against: an IPv4 address, or an IPv6 /64, which one subscriber holds whole.

    Counting single IPv6 addresses would give anyone with a /64 endless fresh budgets.
    """
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:ADDRESS_LENGTH]
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def decide(row: LoginThrottle | None, *, now: datetime, free: int = FREE_FAILURES) -> Verdict:
    """Whether one more attempt may be checked, from the counters as they stand (pure)."""
    if row is None:
        return Verdict(True)
    locked_until = row.locked_until
    if locked_until and locked_until > now:
        return Verdict(False, retry_after=_seconds(locked_until - now), reason="locked")
    last = row.last_failure_at
    if row.failures >= free and last is not None:
        wait = timedelta(seconds=2 ** (row.failures - free))
        if now < last + wait:
            return Verdict(False, retry_after=_seconds(last + wait - now), reason="slowed")
    return Verdict(True)


def _seconds(delta: timedelta) -> int:
    """Whole seconds, rounded up: waiting that long is always enough."""
    return max(math.ceil(delta.total_seconds()), 1)


def _forget_served(row: LoginThrottle, *, now: datetime, lockout: timedelta) -> None:
    """A lock served, or a quiet spell as long as one, wipes the slate."""
    if row.locked_until is not None:
        if row.locked_until <= now:
            row.failures, row.locked_until = 0, None
    elif row.last_failure_at is not None and now - row.last_failure_at >= lockout:
        row.failures = 0


def _count(row: LoginThrottle, *, now: datetime, limit: int, lockout: timedelta) -> None:
    row.failures += 1
    row.last_failure_at = now
    if row.failures >= limit:
        row.locked_until = now + lockout


def _locked_rows(session: Session, *, email: str, address: str) -> tuple[LoginThrottle, LoginThrottle]:
    """Both rows of an attempt, created if missing and locked until commit, always in the same order."""
    keys = [{"account": ANY_ACCOUNT, "address": address, "failures": 0},
            {"account": email, "address": address, "failures": 0}]
    # A write first: on SQLite it takes the write lock before anything is read.
    session.execute(upsert_insert(session, LoginThrottle).values(keys).on_conflict_do_nothing())
    query = (select(LoginThrottle)
             .where(LoginThrottle.address == address, LoginThrottle.account.in_([ANY_ACCOUNT, email]))
             .order_by(LoginThrottle.account).with_for_update()
             .execution_options(populate_existing=True))
    by_account = {row.account: row for row in session.scalars(query)}
    return by_account[ANY_ACCOUNT], by_account[email]


def claim(session: Session, *, email: str, address: str, now: datetime, policy: Policy) -> Verdict:
    """Check an attempt and, if it may go ahead, count it as a failure until it proves otherwise."""
    address = address_key(address)
    per_address, per_account = _locked_rows(session, email=email, address=address)
    for row in (per_address, per_account):
        _forget_served(row, now=now, lockout=policy.lockout)
    verdict = decide(per_address, now=now, free=policy.address_max_failures)
    if not verdict.allowed:
        verdict = Verdict(False, retry_after=verdict.retry_after, reason="address_locked")
    else:
        verdict = decide(per_account, now=now)
    if verdict.allowed:
        _count(per_address, now=now, limit=policy.address_max_failures, lockout=policy.lockout)
        _count(per_account, now=now, limit=policy.max_failures, lockout=policy.lockout)
        verdict = Verdict(True, tries_left=max(policy.max_failures - per_account.failures, 0),
                          locks_on_failure=per_account.locked_until is not None)
    session.flush()
    return verdict


def settle_success(session: Session, *, email: str, address: str, policy: Policy) -> None:
    """The right password: the account's count from this address is cleared and the address's refunded."""
    address = address_key(address)
    per_address, per_account = _locked_rows(session, email=email, address=address)
    session.delete(per_account)
    per_address.failures = max(per_address.failures - 1, 0)
    if per_address.failures < policy.address_max_failures:
        per_address.locked_until = None
    session.flush()


def unlock(session: Session, *, email: str, actor: Principal) -> int:
    """An administrator lifts every lock and count on one account, from every address."""
    permissions.require(actor, permissions.MANAGE_ACCOUNTS)
    email = normal_email(email)
    addresses = list(session.scalars(select(LoginThrottle.address).where(LoginThrottle.account == email)))
    cleared = session.execute(delete(LoginThrottle).where(LoginThrottle.account == email)).rowcount or 0
    # The pause of an address the owner tried from is lifted too, or the owner would still be kept out.
    if addresses:
        session.execute(delete(LoginThrottle).where(LoginThrottle.account == ANY_ACCOUNT,
                                                    LoginThrottle.address.in_(addresses)))
    audit.record(session, actor=actor.actor, action="user.unlock", target_type="user", target_id=email,
                 diff={"cleared": cleared})
    return cleared


def prune(session: Session, *, now: datetime, lockout: timedelta) -> int:
    """Remove rows that no longer slow or lock anyone; safe to run at any time, any number of times."""
    idle = now - lockout
    inert = delete(LoginThrottle).where(
        or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
        or_(LoginThrottle.last_failure_at.is_(None), LoginThrottle.last_failure_at <= idle),
    )
    return session.execute(inert).rowcount or 0
