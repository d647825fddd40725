"""API bearer tokens for partner and phone systems. The plaintext is shown once; a hash is kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from surge import audit
from surge.accounts.models import ApiToken, ApiTokenIn
from surge.errors import Conflict, NotFound
from surge.i18n import N_

PREFIX = "surge_"
USE_STAMP_INTERVAL = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, *, data: ApiTokenIn, actor: str) -> tuple[ApiToken, str]:
    plaintext = PREFIX + secrets.token_urlsafe(32)
    return store_token(session, data=data, plaintext=plaintext, actor=actor), plaintext


def find(session: Session, *, plaintext: str) -> ApiToken | None:
    return session.exec(select(ApiToken).where(ApiToken.token_hash == _digest(plaintext))).first()


def store_token(session: Session, *, data: ApiTokenIn, plaintext: str, actor: str) -> ApiToken:
    token = ApiToken(
        name=data.name,
        role=data.role.value,
        center_slug=data.center_slug,
        clearinghouse_slug=data.clearinghouse_slug,
        token_hash=_digest(plaintext),
        prefix=plaintext[: len(PREFIX) + 6],
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="token.create",
        target_type="api_token",
        target_id=token.id,
        diff={"name": token.name, **token.tie_summary()},
    )
    return token


def resolve(session: Session, *, plaintext: str, now: datetime) -> ApiToken | None:
    if not plaintext.startswith(PREFIX) or len(plaintext) > 200:
        return None
    token = find(session, plaintext=plaintext)
    if token is None or token.revoked_at is not None:
        return None
    last = token.last_used_at
    if last is None or now - last > USE_STAMP_INTERVAL:
        # Stamped at most every few minutes so busy integrations do not write on every call.
        token.last_used_at = now
        session.add(token)
        session.flush()
    return token


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).order_by(ApiToken.created_at)))


def revoke(session: Session, *, prefix: str, actor: str, now: datetime) -> ApiToken:
    """Revoke the one live token whose shown prefix matches; ambiguous or unknown prefixes are refused."""
    matches = [t for t in session.exec(select(ApiToken).where(ApiToken.revoked_at.is_(None)))
               if t.prefix.startswith(prefix) or prefix.startswith(t.prefix)]
    if len(prefix) < len(PREFIX) + 4 or not matches:
        raise NotFound(N_("No live API token starts with %(prefix)s."), params={"prefix": prefix[:20]})
    if len(matches) > 1:
        raise Conflict(N_("More than one API token starts with %(prefix)s; give more of it."), params={"prefix": prefix[:20]})
    token = matches[0]
    token.revoked_at = now
    session.add(token)
    session.flush()
    audit.record(session, actor=actor, action="token.revoke", target_type="api_token", target_id=token.id,
                 diff={"name": token.name})
    return token
