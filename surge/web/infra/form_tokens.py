"""One-time tokens for public forms: a random nonce and the time of issue, signed with the app secret.

The page carries a token; the post hands it back. `verify` returns the nonce, which serves as the
idempotency key of the submission (scope "form:<purpose>"): a double click, a resubmitted page or a
replayed post creates one record. The signature binds the purpose, so a token from one form cannot
be spent on another, and the time, so an old page must be reloaded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
from datetime import datetime, timedelta

from surge.kernel.errors import BadRequest
from surge.kernel.i18n import N_
from surge.kernel.settings import Settings

NONCE_BYTES = 16
MAX_AGE = timedelta(hours=12)
# Clocks of several hosts differ a little; a token from further ahead was not made by us.
CLOCK_SKEW = timedelta(minutes=5)
EXPIRED = N_("This form has expired or was changed. Reload the page and try again.")
_PAYLOAD = struct.Struct(f">{NONCE_BYTES}sq")


def _secret(settings_or_secret: Settings | str) -> bytes:
    secret = settings_or_secret.secret if isinstance(settings_or_secret, Settings) else settings_or_secret
    return secret.encode()


def _signature(secret: bytes, purpose: str, payload: bytes) -> bytes:
    # The payload has a fixed length, so purpose and payload cannot be shifted into one another.
    return hmac.new(secret, b"form-token:" + purpose.encode() + b":" + payload, hashlib.sha256).digest()


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue(settings_or_secret: Settings | str, purpose: str, now: datetime) -> str:
    """A fresh token for one form of `purpose` (76 URL-safe characters)."""
    payload = _PAYLOAD.pack(secrets.token_bytes(NONCE_BYTES), int(now.timestamp()))
    return f"{_encode(payload)}.{_encode(_signature(_secret(settings_or_secret), purpose, payload))}"


def verify(settings_or_secret: Settings | str, token: object, purpose: str, now: datetime,
           max_age: timedelta = MAX_AGE) -> str:
    """The token's nonce (URL-safe text), or a 400 when it is forged, for another form, or too old."""
    try:
        encoded_payload, encoded_signature = str(token or "").split(".")
        payload, signature = _decode(encoded_payload), _decode(encoded_signature)
        nonce, issued = _PAYLOAD.unpack(payload)
    except (ValueError, binascii.Error, struct.error, UnicodeEncodeError):
        raise _refused() from None
    if not hmac.compare_digest(signature, _signature(_secret(settings_or_secret), purpose, payload)):
        raise _refused()
    age = now - datetime.fromtimestamp(issued, now.tzinfo)
    if age > max_age or age < -CLOCK_SKEW:
        raise _refused()
    return _encode(nonce)


def _refused() -> BadRequest:
    return BadRequest(EXPIRED, code="form_token_invalid")
