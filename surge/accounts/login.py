"""Logging in and out, with throttling and an audit row for every attempt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from surge import audit
from surge.accounts import throttle, web_sessions
from surge.accounts.models import User
from surge.accounts.users import check_password
from surge.errors import ApiError, TooManyRequests, Unauthorized
from surge.i18n import N_


@dataclass(frozen=True)
class LoginOutcome:
    """Either a user with a new session key, or the error to show.

    A failure is returned rather than raised so that its throttle and audit rows are committed.
    """

    user: User | None = None
    key: str | None = None
    error: ApiError | None = None


def log_in(
    session: Session, *, email: str, password: str, now: datetime, policy: throttle.Policy, max_age: int,
    previous_key: str | None = None,
) -> LoginOutcome:
    """Never says which of the e-mail address or password was wrong."""
    email = email.strip().lower()[:320]
    verdict = throttle.check(session, email=email, now=now, policy=policy)
    if not verdict.allowed:
        message = (
            N_("Too many failed log-ins. This account is locked for %(seconds)s seconds.")
            if verdict.locked
            else N_("Too many failed log-ins. Wait %(seconds)s seconds and try again.")
        )
        return LoginOutcome(error=TooManyRequests(message, params={"seconds": verdict.retry_after}, code="login_throttled"))
    user = check_password(session, email=email, password=password)
    if user is None:
        row = throttle.record_failure(session, email=email, now=now, policy=policy)
        audit.record(session, actor="anonymous", action="auth.login_failed", target_type="user", target_id=email,
                     diff={"failures": row.failures, "locked": row.locked_until is not None})
        return LoginOutcome(error=Unauthorized(N_("The e-mail address or password is not right."), code="login_failed"))
    throttle.record_success(session, email=email)
    if previous_key:
        web_sessions.end(session, key=previous_key)  # a new log-in never leaves the old session alive
    key = web_sessions.start(session, user=user, now=now, max_age=max_age)
    audit.record(session, actor=f"user:{user.id}:{user.email}", action="auth.login", target_type="user", target_id=user.id)
    return LoginOutcome(user=user, key=key)


def log_out(session: Session, *, key: str, actor: str) -> None:
    web_sessions.end(session, key=key)
    audit.record(session, actor=actor, action="auth.logout", target_type="session")
