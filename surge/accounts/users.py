"""Creating users and checking their passwords."""

from __future__ import annotations

from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.accounts import ties
from surge.accounts.models import User, UserIn, normal_email
from surge.accounts.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from surge.kernel import audit
from surge.kernel.clock import utcnow
from surge.kernel.errors import Conflict
from surge.kernel.i18n import N_


def find_by_email(session: Session, *, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normal_email(email))).first()


def create_user(session: Session, *, data: UserIn, actor: Principal) -> None:
    permissions.require(actor, permissions.MANAGE_ACCOUNTS)
    ties.check_known(session, data)
    if find_by_email(session, email=data.email) is not None:
        raise Conflict(N_("A user with this e-mail address already exists."), fields={"email": N_("Already in use.")})
    user = User(
        email=data.email,
        display_name=data.display_name,
        role=data.role.value,
        center_slug=data.center_slug,
        clearinghouse_slug=data.clearinghouse_slug,
        password_hash=hash_password(data.password),
    )
    session.add(user)
    session.flush()
    audit.record(session, actor=actor.actor, action="user.create", target_type="user", target_id=user.id,
                 diff={"email": user.email, **user.tie_summary()})


def check_password(session: Session, *, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None; equally slow either way."""
    user = find_by_email(session, email=email)
    if user is None or not user.is_active:
        verify_password(dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.add(user)
    session.flush()
    return user
