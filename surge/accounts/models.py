"""Tables for users, web sessions, API tokens and login throttling, with their input models."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import field_validator, model_validator
from sqlmodel import Field, SQLModel

from surge.access.roles import Role, check_ties
from surge.kernel.clock import utc_column as _when, utcnow
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_
from surge.kernel.validation import SLUG_PATTERN

EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")
MIN_PASSWORD = 12
MAX_EMAIL = 320


def normal_email(email: str) -> str:
    """How an e-mail address is stored and compared: trimmed, lower-case, at most 320 characters."""
    return email.strip().lower()[:MAX_EMAIL]


class Tied(SQLModel):
    """The center or clearinghouse a role is tied to."""

    role: str = Field(max_length=32)
    center_slug: str | None = Field(default=None, max_length=63, foreign_key="centers.slug", index=True)
    clearinghouse_slug: str | None = Field(default=None, max_length=63, foreign_key="clearinghouses.slug", index=True)

    def tie_summary(self) -> dict[str, str | None]:
        """Role and tie, as the audit log records them."""
        return {"role": self.role, "center": self.center_slug, "clearinghouse": self.clearinghouse_slug}


class TiedIn(SQLModel):
    role: Role
    center_slug: str | None = None
    clearinghouse_slug: str | None = None

    @field_validator("center_slug", "clearinghouse_slug")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        value = value.strip().lower()
        if not SLUG_PATTERN.match(value):
            raise ValueError(N_("Use lower-case letters, digits and hyphens only."))
        return value

    @model_validator(mode="after")
    def _ties(self):
        errors = check_ties(self.role, self.center_slug, self.clearinghouse_slug)
        if errors:
            # Raised as a 422 naming the tie field, not as a whole-model error.
            raise ValidationFailed(N_("Some of the information given is not valid."), fields=errors)
        return self


class UserBase(Tied):
    email: str = Field(max_length=320, unique=True, index=True)
    display_name: str = Field(default="", max_length=200)
    is_active: bool = True


class User(UserBase, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when(nullable=False))
    last_login_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))


class UserIn(TiedIn):
    email: str
    display_name: str = ""
    password: str

    @field_validator("role")
    @classmethod
    def _person(cls, value: Role) -> Role:
        if value == Role.PHONE_SYSTEM:
            raise ValueError(N_("Phone systems sign in with an API token, not as a user."))
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip().lower()
        if not EMAIL.match(value):
            raise ValueError(N_("Enter a valid e-mail address."))
        return value

    @field_validator("display_name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if len(value) > 200:
            raise ValueError(N_("This is too long."))
        return value

    @field_validator("password")
    @classmethod
    def _password(cls, value: str) -> str:
        if len(value) < MIN_PASSWORD:
            raise ValueError(N_("Use a password of at least 12 characters."))
        if len(value) > 1024:
            raise ValueError(N_("This is too long."))
        return value


class WebSession(SQLModel, table=True):
    """A signed-in browser. Only a hash of the cookie value is stored."""

    __tablename__ = "web_sessions"

    id: int | None = Field(default=None, primary_key=True)
    key_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when(nullable=False))
    expires_at: datetime = Field(sa_column=_when(nullable=False, index=True))
    # For the idle timeout; stamped at most once a minute (None: not used since created_at).
    last_seen_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))


class ApiTokenBase(Tied):
    name: str = Field(max_length=200)


class ApiToken(ApiTokenBase, table=True):
    """A bearer token for a partner or phone system. Only its hash is stored."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    prefix: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when(nullable=False))
    last_used_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))


class ApiTokenIn(TiedIn):
    name: str

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError(N_("This field is required."))
        if len(value) > 200:
            raise ValueError(N_("This is too long."))
        return value


class LoginThrottle(SQLModel, table=True):
    """Failed log-ins counted per (account, client address), and per address across accounts (account "").

    Keying on the address means a stranger's guesses lock only the stranger's own connection, never the
    owner's; the per-address row stops one connection from guessing across many accounts.
    """

    __tablename__ = "login_throttle"

    account: str = Field(primary_key=True, max_length=320)
    address: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    last_failure_at: datetime | None = Field(default=None, sa_column=_when(nullable=True, index=True))
    locked_until: datetime | None = Field(default=None, sa_column=_when(nullable=True))
