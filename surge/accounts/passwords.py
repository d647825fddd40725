"""Password hashing with argon2id."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_STANDARD = PasswordHasher()
# For test suites only (Settings refuses it in production): the same code path at a tiny fraction of the cost.
_FAST = PasswordHasher.from_parameters(profiles.CHEAPEST)
_hasher = _STANDARD


def use_fast_hashing(fast: bool) -> None:
    """Chosen once per process from the settings; hashes record their own parameters, so either verifies."""
    global _hasher
    _hasher = _FAST if fast else _STANDARD
    dummy_hash.cache_clear()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def dummy_hash() -> str:
    """Verified against when no user matches, so a missing account takes as long as a wrong password."""
    return hash_password("not-a-real-password")
