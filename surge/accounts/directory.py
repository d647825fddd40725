"""What the home page shows each role: plain read models, decided here so every edge shows the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.accounts.models import User
from surge.accounts.tokens import TokenView, list_tokens
from surge.kernel import audit
from surge.kernel.audit import AuditView


@dataclass(frozen=True)
class UserView:
    email: str
    display_name: str
    role: str
    center_slug: str | None
    clearinghouse_slug: str | None
    last_login_at: datetime | None

    @property
    def tie(self) -> str:
        return self.center_slug or self.clearinghouse_slug or ""


@dataclass(frozen=True)
class Dashboard:
    """None marks a section this caller may not see."""

    own_activity: list[AuditView]
    users: list[UserView] | None = None
    tokens: list[TokenView] | None = None
    audit: list[AuditView] | None = None
    users_by_role: dict[str, int] | None = None


def users(session: Session, *, actor: Principal) -> list[UserView]:
    permissions.require(actor, permissions.MANAGE_ACCOUNTS)
    return [UserView(u.email, u.display_name, u.role, u.center_slug, u.clearinghouse_slug, u.last_login_at)
            for u in session.exec(select(User).order_by(User.role, User.email))]


def users_by_role(session: Session, *, actor: Principal) -> dict[str, int]:
    permissions.require(actor, permissions.SEE_ACCOUNT_COUNTS)
    return {role: count for role, count in session.exec(select(User.role, func.count()).group_by(User.role))}


def audit_log(session: Session, *, actor: Principal, limit: int) -> list[AuditView]:
    permissions.require(actor, permissions.READ_AUDIT_LOG)
    return audit.recent(session, limit=limit)


def dashboard(session: Session, *, actor: Principal) -> Dashboard:
    sections = {}
    if permissions.allows(actor, permissions.MANAGE_ACCOUNTS):
        sections.update(users=users(session, actor=actor), tokens=list_tokens(session, actor=actor))
    if permissions.allows(actor, permissions.READ_AUDIT_LOG):
        sections["audit"] = audit_log(session, actor=actor, limit=20)
    if permissions.allows(actor, permissions.SEE_ACCOUNT_COUNTS):
        sections["users_by_role"] = users_by_role(session, actor=actor)
    return Dashboard(own_activity=audit.recent(session, limit=10, actor=actor.actor), **sections)
