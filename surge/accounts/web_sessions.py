"""Server-side browser sessions: the cookie holds a random key, the database holds its hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from surge.accounts.identity import Principal, of_user
from surge.accounts.models import User, WebSession


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(session: Session, *, user: User, now: datetime, max_age: int) -> str:
    key = secrets.token_urlsafe(32)
    session.add(WebSession(key_hash=_digest(key), user_id=user.id, expires_at=now + timedelta(seconds=max_age)))
    session.flush()
    return key


def resolve(session: Session, *, key: str, now: datetime) -> tuple[Principal | None, bool]:
    """(caller, expired): the signed-in person for a cookie key; expired is True for a stale session."""
    row = session.exec(select(WebSession).where(WebSession.key_hash == _digest(key))).first()
    if row is None:
        return None, False
    if row.expires_at <= now:
        session.delete(row)
        session.flush()
        return None, True
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None, True
    return of_user(user), False


def end(session: Session, *, key: str) -> None:
    row = session.exec(select(WebSession).where(WebSession.key_hash == _digest(key))).first()
    if row is not None:
        session.delete(row)
        session.flush()
