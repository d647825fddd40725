"""Logging in and out, with throttling and an audit row for every attempt."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from surge.accounts import throttle, web_sessions
from surge.accounts.identity import ANONYMOUS_ACTOR, Principal, of_user
from surge.accounts.users import check_password
from surge.kernel import audit
from surge.kernel.clock import Clock
from surge.kernel.errors import ApiError, TooManyRequests, Unauthorized
from surge.kernel.i18n import N_


@dataclass(frozen=True)
class LoginOutcome:
    """Either the caller with a new session key, or the error to show.

    A failure is returned rather than raised so that its throttle and audit rows are committed.
    """

    principal: Principal | None = None
    key: str | None = None
    error: ApiError | None = None


def log_in(
    session: Session, *, email: str, password: str, clock: Clock, policy: throttle.Policy, max_age: int,
    previous_key: str | None = None,
) -> LoginOutcome:
    """Never says which of the e-mail address or password was wrong."""
    email = email.strip().lower()[:320]
    verdict = throttle.check(session, email=email, now=clock())
    if not verdict.allowed:
        message = (
            N_("Too many failed log-ins. This account is locked for %(seconds)s seconds.")
            if verdict.locked
            else N_("Too many failed log-ins. Wait %(seconds)s seconds and try again.")
        )
        return LoginOutcome(error=TooManyRequests(message, params={"seconds": verdict.retry_after}, code="login_throttled"))
    user = check_password(session, email=email, password=password)
    # Read the time after hashing: a back-off is measured from when the failure was known, not before.
    now = clock()
    if user is None:
        row = throttle.record_failure(session, email=email, now=now, policy=policy)
        audit.record(session, actor=ANONYMOUS_ACTOR, action="auth.login_failed", target_type="user", target_id=email,
                     diff={"failures": row.failures, "locked": row.locked_until is not None})
        return LoginOutcome(error=Unauthorized(N_("The e-mail address or password is not right."), code="login_failed"))
    throttle.record_success(session, email=email)
    if previous_key:
        web_sessions.end(session, key=previous_key)  # a new log-in never leaves the old session alive
    key = web_sessions.start(session, user=user, now=now, max_age=max_age)
    principal = of_user(user)
    audit.record(session, actor=principal.actor, action="auth.login", target_type="user", target_id=user.id)
    return LoginOutcome(principal=principal, key=key)


def log_out(session: Session, *, key: str, actor: Principal) -> None:
    web_sessions.end(session, key=key)
    audit.record(session, actor=actor.actor, action="auth.logout", target_type="session")
