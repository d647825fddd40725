"""The principal for a signed-in user or an API token."""

from __future__ import annotations

from surge.access.principal import Principal
from surge.accounts.models import ApiToken, User


def of_user(user: User) -> Principal:
    return Principal("user", user.id, user.display_name or user.email, user.role, user.center_slug,
                     user.clearinghouse_slug, email=user.email)


def of_token(token: ApiToken) -> Principal:
    return Principal("token", token.id, token.name, token.role, token.center_slug, token.clearinghouse_slug)
