"""Read-only views of accounts for the home pages and the API."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from surge.accounts.models import ApiToken, User
from surge.audit import AuditEntry


def users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.role, User.email)))


def users_by_role(session: Session) -> dict[str, int]:
    rows = session.exec(select(User.role, func.count()).group_by(User.role))
    return {role: count for role, count in rows}


def api_tokens(session: Session) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).order_by(ApiToken.created_at.desc())))


def recent_audit(session: Session, *, limit: int = 20, actor: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    return list(session.exec(query))
