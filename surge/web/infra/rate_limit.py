"""Per-address rate limits: public form posts, every log-in post, and the public API.

Counts live in process memory: each worker limits on its own, which bounds abuse without a shared
store. The decision is a sliding one-minute window per client address (see client_address), an IPv6
client counting as its /64.
"""

from __future__ import annotations

import time
from collections import deque
from threading import Lock

from surge.accounts.throttle import address_key
from surge.kernel.errors import TooManyRequests
from surge.kernel.i18n import translations
from surge.web.infra.client_address import client_of


class SlidingWindow:
    def __init__(self, limit: int, window_seconds: float = 60.0, clock=time.monotonic):
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = Lock()

    def hit(self, key: str) -> float:
        """0 when allowed, else the seconds to wait."""
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return hits[0] + self.window - now
            hits.append(now)
            if len(self._hits) > 50_000:  # forget idle addresses rather than grow without bound
                for idle in [k for k, v in self._hits.items() if not v][:10_000]:
                    del self._hits[idle]
            return 0.0


def wait_seconds(wait: float) -> int:
    return int(wait) + 1


def submissions_message(language: str, seconds: int) -> str:
    """The wait, in the reader's language and the right plural form; %(seconds)s is left to fill."""
    return translations(language).ngettext(
        "Too many submissions from your connection. Wait %(seconds)s second and try again.",
        "Too many submissions from your connection. Wait %(seconds)s seconds and try again.", seconds)


def requests_message(language: str, seconds: int) -> str:
    return translations(language).ngettext(
        "Too many requests from your connection. Wait %(seconds)s second and try again, or use an API token.",
        "Too many requests from your connection. Wait %(seconds)s seconds and try again, or use an API token.",
        seconds)


def _language(request) -> str:
    return getattr(request.state, "language", "en")


def _hit(request, limiter: SlidingWindow, message) -> None:
    """Count one request against the client's address, or refuse it with the wait in the reader's language."""
    wait = limiter.hit(address_key(client_of(request)))
    if wait:
        seconds = wait_seconds(wait)
        # Already in the reader's language (plural forms need the count); the error handler fills it in.
        raise TooManyRequests(message(_language(request), seconds), params={"seconds": seconds},
                              code="rate_limited")


def check_public_form(request, *, everyone: bool = False) -> None:
    """Form posts are limited per client address; staff who are signed in only where `everyone` says so."""
    if request.state.user is not None and not everyone:
        return
    _hit(request, request.app.state.public_form_limiter, submissions_message)


def check_public_api(request) -> None:
    """Public API calls are limited per client address; callers with a valid API token are exempt."""
    user = request.state.user
    if user is not None and user.kind == "token":
        return
    _hit(request, request.app.state.public_api_limiter, requests_message)
