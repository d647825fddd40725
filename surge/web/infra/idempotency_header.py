"""The Idempotency-Key header, and the hash that tells a repeated request from a different one."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from starlette.requests import Request

from surge.kernel.errors import BadRequest
from surge.kernel.i18n import N_

HEADER = "Idempotency-Key"
MAX_LENGTH = 200


def idempotency_key(request: Request, *, required: bool = False) -> str | None:
    """The request's Idempotency-Key (1-200 printable ASCII characters), None when absent and not required."""
    values = request.headers.getlist(HEADER)
    if not values:
        if required:
            raise BadRequest(N_("This request needs an Idempotency-Key header."), code="idempotency_key_missing")
        return None
    # Given twice, which one the client meant is unknown: refuse rather than pick.
    if len(values) > 1 or not _usable(values[0]):
        raise BadRequest(N_("The Idempotency-Key header must be 1 to 200 printable ASCII characters, given once."),
                         code="idempotency_key_invalid")
    return values[0]


def _usable(value: str) -> bool:
    return 0 < len(value) <= MAX_LENGTH and all(" " <= char <= "~" for char in value)


def request_hash(method: str, path: str, body: Any) -> str:
    """SHA-256 (hex) of the request in one canonical form: method, path and the JSON body with sorted keys
    and no spacing, so the same request written differently hashes the same."""
    canonical = json.dumps([method.upper(), path, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                           allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
