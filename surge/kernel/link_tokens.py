"""Tokens of the one-time links Surge e-mails (follow-ups, unsubscribing): random, and stored only as a hash, so a
copy of the database opens none of them."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
