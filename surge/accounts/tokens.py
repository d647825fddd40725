"""API bearer tokens for partner and phone systems. The plaintext is shown once; a hash is kept."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.accounts import ties
from surge.accounts.identity import of_token
from surge.accounts.models import ApiToken, ApiTokenIn
from surge.kernel import audit
from surge.kernel.clock import utcnow
from surge.kernel.errors import Conflict, NotFound, ValidationFailed
from surge.kernel.i18n import N_

PREFIX = "surge_"
USE_STAMP_INTERVAL = timedelta(minutes=5)
# A revoke must name a token by more than the common "surge_" start.
MIN_REVOKE_PREFIX = len(PREFIX) + 4


@dataclass(frozen=True)
class TokenView:
    prefix: str
    name: str
    role: str
    center_slug: str | None
    clearinghouse_slug: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def tie(self) -> str:
        return self.center_slug or self.clearinghouse_slug or ""


def _view(token: ApiToken) -> TokenView:
    return TokenView(token.prefix, token.name, token.role, token.center_slug, token.clearinghouse_slug,
                     token.created_at, token.last_used_at, token.revoked_at)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, *, data: ApiTokenIn, actor: Principal) -> str:
    """The new token's plaintext, which is shown once and never stored."""
    plaintext = PREFIX + secrets.token_urlsafe(32)
    store_token(session, data=data, plaintext=plaintext, actor=actor)
    return plaintext


def exists(session: Session, *, plaintext: str) -> bool:
    return _find(session, plaintext) is not None


def _find(session: Session, plaintext: str) -> ApiToken | None:
    return session.exec(select(ApiToken).where(ApiToken.token_hash == _digest(plaintext))).first()


def store_token(session: Session, *, data: ApiTokenIn, plaintext: str, actor: Principal) -> None:
    permissions.require(actor, permissions.MANAGE_ACCOUNTS)
    ties.check_known(session, data)
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
    audit.record(session, actor=actor.actor, action="token.create", target_type="api_token", target_id=token.id,
                 diff={"name": token.name, **token.tie_summary()})


def resolve(session: Session, *, plaintext: str, now: datetime) -> Principal | None:
    """The caller a bearer token stands for, or None for an unknown or revoked one."""
    if not plaintext.startswith(PREFIX) or len(plaintext) > 200:
        return None
    token = _find(session, plaintext)
    if token is None or token.revoked_at is not None:
        return None
    last = token.last_used_at
    if last is None or now - last > USE_STAMP_INTERVAL:
        # Stamped at most every few minutes so busy integrations do not write on every call.
        token.last_used_at = now
        session.add(token)
        session.flush()
    return of_token(token)


def list_tokens(session: Session, *, actor: Principal) -> list[TokenView]:
    permissions.require(actor, permissions.MANAGE_ACCOUNTS)
    return [_view(t) for t in session.exec(select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))]


def revoke(session: Session, *, prefix: str, actor: Principal) -> TokenView:
    """Revoke the one live token whose shown prefix matches; ambiguous or unknown prefixes are refused."""
    permissions.require(actor, permissions.MANAGE_ACCOUNTS)
    if len(prefix) < MIN_REVOKE_PREFIX:
        raise ValidationFailed(N_("%(prefix)s is too short to name one token: give at least %(count)s characters "
                                  "of the prefix that the token list shows."),
                               params={"prefix": prefix[:20], "count": MIN_REVOKE_PREFIX})
    matches = [t for t in session.exec(select(ApiToken).where(ApiToken.revoked_at.is_(None)))
               if t.prefix.startswith(prefix) or prefix.startswith(t.prefix)]
    if not matches:
        raise NotFound(N_("No live API token starts with %(prefix)s."), params={"prefix": prefix[:20]})
    if len(matches) > 1:
        raise Conflict(N_("More than one API token starts with %(prefix)s; give more of it."), params={"prefix": prefix[:20]})
    token = matches[0]
    token.revoked_at = utcnow()
    session.add(token)
    session.flush()
    audit.record(session, actor=actor.actor, action="token.revoke", target_type="api_token", target_id=token.id,
                 diff={"name": token.name})
    return _view(token)
