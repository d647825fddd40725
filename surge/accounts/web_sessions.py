"""Server-side browser sessions: the cookie holds a random key, the database holds its hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_
from sqlmodel import Session, select

from surge.access.principal import Principal
from surge.accounts.identity import of_user
from surge.accounts.models import User, WebSession

# Last use is stamped at most this often, so an active browser does not write on every request.
SEEN_STAMP_INTERVAL = timedelta(minutes=1)
# Without a setting (callers that predate the idle timeout), only the absolute expiry applies.
NO_IDLE_TIMEOUT = None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(session: Session, *, user: User, now: datetime, max_age: int) -> str:
    key = secrets.token_urlsafe(32)
    session.add(WebSession(key_hash=_digest(key), user_id=user.id, created_at=now, last_seen_at=now,
                           expires_at=now + timedelta(seconds=max_age)))
    session.flush()
    return key


def resolve(session: Session, *, key: str, now: datetime,
            idle_timeout: int | None = NO_IDLE_TIMEOUT) -> tuple[Principal | None, bool]:
    """(caller, expired): the signed-in person for a cookie key; expired is True for a stale session.

    A session is stale after its absolute expiry, or after `idle_timeout` seconds unused.
    """
    row = session.exec(select(WebSession).where(WebSession.key_hash == _digest(key))).first()
    if row is None:
        return None, False
    last_seen = row.last_seen_at or row.created_at
    idle = idle_timeout is not None and now - last_seen >= timedelta(seconds=idle_timeout)
    if row.expires_at <= now or idle:
        session.delete(row)
        session.flush()
        return None, True
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None, True
    if now - last_seen >= SEEN_STAMP_INTERVAL:
        row.last_seen_at = now
        session.add(row)
        session.flush()
    return of_user(user), False


def end(session: Session, *, key: str) -> None:
    row = session.exec(select(WebSession).where(WebSession.key_hash == _digest(key))).first()
    if row is not None:
        session.delete(row)
        session.flush()


def sweep_expired(session: Session, *, now: datetime, idle_timeout: int | None = NO_IDLE_TIMEOUT) -> int:
    """Delete sessions past their expiry or idle longer than `idle_timeout`; how many.

    `resolve` removes a stale session when its browser comes back; this removes those that never do.
    """
    stale = WebSession.expires_at <= now
    if idle_timeout is not None:
        stale = or_(stale, func.coalesce(WebSession.last_seen_at, WebSession.created_at)
                    <= now - timedelta(seconds=idle_timeout))
    return session.execute(delete(WebSession).where(stale)).rowcount or 0
