"""Logging in and out, with throttling and an audit row for every attempt.

An attempt is two units of work: `begin_attempt` (throttle check and count, committed at once) and
`log_in` (the slow password check, then the session). Every refusal is audited too, counted into
one row per repeated event so that a flood cannot fill the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from surge.access import permissions
from surge.access.principal import ANONYMOUS_ACTOR, Principal
from surge.accounts import throttle, web_sessions
from surge.accounts.identity import of_user
from surge.accounts.models import normal_email
from surge.accounts.users import check_password
from surge.kernel import audit
from surge.kernel.clock import Clock

# Identical events from one address within this window are counted into one audit row.
FLOOD_WINDOW = timedelta(minutes=10)
# Audit actions about attempts, pruned after the log-in retention; state changes are kept.
ATTEMPT_ACTIONS = ("auth.login_failed", "auth.login_refused", "auth.login_rate_limited", "auth.login_busy")


@dataclass(frozen=True)
class LoginOutcome:
    """Either the caller with a new session key, or why not.

    A failure is returned rather than raised so that its throttle and audit rows are committed.
    """

    principal: Principal | None = None
    key: str | None = None
    verdict: throttle.Verdict | None = None  # for a wrong password: what the failure cost


def begin_attempt(session: Session, *, email: str, address: str, clock: Clock, policy: throttle.Policy
                  ) -> throttle.Verdict:
    """Claim a try for (account, address); a refusal is audited here, with its reason."""
    email, now = normal_email(email), clock()
    verdict = throttle.claim(session, email=email, address=address, now=now, policy=policy)
    if not verdict.allowed:
        _attempt(session, "auth.login_refused", email=email, now=now,
                 diff={"address": address, "reason": verdict.reason})
    return verdict


def log_in(
    session: Session, *, email: str, password: str, address: str, verdict: throttle.Verdict, clock: Clock,
    policy: throttle.Policy, max_age: int, previous_key: str | None = None,
) -> LoginOutcome:
    """Never says which of the e-mail address or password was wrong. Call only after `begin_attempt` allowed it."""
    email = normal_email(email)
    user = check_password(session, email=email, password=password)
    # Read the time after hashing: the audit row says when the failure was known.
    now = clock()
    if user is None:
        _attempt(session, "auth.login_failed", email=email, now=now,
                 diff={"address": address, "locked": verdict.locks_on_failure})
        return LoginOutcome(verdict=verdict)
    throttle.settle_success(session, email=email, address=address, policy=policy)
    if previous_key:
        web_sessions.end(session, key=previous_key)  # a new log-in never leaves the old session alive
    key = web_sessions.start(session, user=user, now=now, max_age=max_age)
    principal = of_user(user)
    audit.record(session, actor=principal.actor, action="auth.login", target_type="user", target_id=user.id,
                 diff={"address": address})
    return LoginOutcome(principal=principal, key=key)


def refused_at_the_door(session: Session, *, action: str, address: str, now: datetime) -> None:
    """A log-in post turned away before any check (rate limit, hashing full): audited, counted per address."""
    _attempt(session, action, email="", now=now, diff={"address": address})


def _attempt(session: Session, action: str, *, email: str, now: datetime, diff: dict) -> None:
    audit.record_repeated(session, actor=ANONYMOUS_ACTOR, action=action, target_type="user" if email else "",
                          target_id=email, diff=diff, now=now, window=FLOOD_WINDOW)


def prune(session: Session, *, now: datetime, retention: timedelta, lockout: timedelta, actor: Principal) -> dict:
    """Drop log-in attempt audit rows older than the retention and throttle rows that bind no one."""
    permissions.require(actor, permissions.MANAGE_ACCOUNTS)
    audited = audit.prune(session, actions=ATTEMPT_ACTIONS, before=now - retention)
    throttled = throttle.prune(session, now=now, lockout=lockout)
    if audited or throttled:
        audit.record(session, actor=actor.actor, action="audit.prune", diff={"audit": audited, "throttle": throttled})
    return {"audit": audited, "throttle": throttled}


def log_out(session: Session, *, key: str, actor: Principal) -> None:
    web_sessions.end(session, key=key)
    audit.record(session, actor=actor.actor, action="auth.logout", target_type="session")
