"""CSRF tokens bound to the browser's session (or, before log-in, to its anonymous cookie)."""

from __future__ import annotations

import hashlib
import hmac

from starlette.requests import Request

from surge.kernel.errors import Forbidden
from surge.kernel.i18n import N_


def csrf_token_for(secret: str, key: str) -> str:
    return hmac.new(secret.encode(), f"csrf:{key}".encode(), hashlib.sha256).hexdigest()


def check_csrf(request: Request, submitted: object) -> None:
    expected = request.state.csrf_token.encode()
    # Compared as bytes: compare_digest refuses non-ASCII text, and a client may send any.
    given = str(submitted or "").encode("utf-8", "replace")
    if not given or not hmac.compare_digest(given, expected):
        raise Forbidden(
            N_("This form has expired or did not come from this site. Reload the page and try again."),
            code="csrf_failed",
        )
