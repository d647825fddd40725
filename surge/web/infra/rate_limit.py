"""Per-address rate limits: public form posts, every log-in post, the public API, and any limit added later.

Counts are kept by the `limits` library (moving window) in the storage SURGE_RATE_LIMIT_STORAGE names:
`memory://` counts in each process alone (so `--workers N` lets an address through N times over);
`redis://` shares one count between every worker and host. A client is counted by its address (see
client_address), an IPv6 client as its /64.

A new limit is one line in a handler: `limit(request, "volunteer_form", 5, submissions_message)`.
"""

from __future__ import annotations

import math
import time
from typing import Callable

import structlog
from limits import RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import RedisStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from surge.accounts.throttle import address_key
from surge.kernel.errors import TooManyRequests
from surge.kernel.i18n import translations
from surge.kernel.settings import Settings
from surge.web.infra.client_address import client_of

log = structlog.get_logger("surge.rate_limit")
Message = Callable[[str, int], str]
# A request must never wait long on the store: it answers in well under a millisecond when healthy.
STORAGE_TIMEOUT_S = 0.5
# After a failure the store is left alone this long, so a dead Redis costs one timeout, not one per request.
STORAGE_RETRY_S = 5.0
WARN_EVERY_S = 60.0


class RateLimits:
    """Named limits over one storage; `hit` counts a request and says how long to wait when over.

    If the storage (Redis) cannot be reached, requests are let through (fail open) and a warning is
    logged at most once a minute. These limits only bound abuse of public pages; in a disaster a Redis
    outage must not turn away volunteers, donors or routing lookups. Password guessing stays bounded by
    the log-in throttle, which lives in the database and does not depend on this storage.
    """

    def __init__(self, storage_uri: str = "memory://", *, prefix: str = "surge", clock=time.monotonic):
        self.storage_uri = storage_uri
        options = {} if storage_uri.startswith("memory://") else {
            "key_prefix": prefix, "socket_timeout": STORAGE_TIMEOUT_S, "socket_connect_timeout": STORAGE_TIMEOUT_S}
        self.storage = storage_from_string(storage_uri, wrap_exceptions=True, **options)
        self.limiter = MovingWindowRateLimiter(self.storage)
        self._clock = clock
        self._skip_until = -math.inf
        self._warned_at = -math.inf

    @classmethod
    def from_settings(cls, settings: Settings) -> "RateLimits":
        return cls(settings.rate_limit_storage, prefix=settings.rate_limit_prefix)

    def hit(self, name: str, amount: int, key: str, *, seconds: int = 60) -> float:
        """Count one request by `key` against `amount` per `seconds` named `name`: 0 when allowed, else the wait."""
        if self._clock() < self._skip_until:
            return 0.0
        item = RateLimitItemPerSecond(amount, seconds)
        try:
            if self.limiter.hit(item, name, key):
                return 0.0
            stats = self.limiter.get_window_stats(item, name, key)
        except StorageError as exc:
            self._storage_failed(exc)
            return 0.0
        # The oldest hit may leave the window between the two calls: still refused, so wait a moment.
        return max(stats.reset_time - time.time(), 0.001)

    def close(self) -> None:
        """Let go of the Redis connections (memory storage holds none)."""
        if isinstance(self.storage, RedisStorage):
            self.storage.storage.close()

    def _storage_failed(self, exc: StorageError) -> None:
        now = self._clock()
        self._skip_until = now + STORAGE_RETRY_S
        if now - self._warned_at >= WARN_EVERY_S:
            self._warned_at = now
            log.warning("rate_limit_storage_unreachable", storage=_without_password(self.storage_uri),
                        error=exc.storage_error.__class__.__name__, effect="requests are not rate-limited")


def _without_password(uri: str) -> str:
    scheme, sep, rest = uri.partition("://")
    credentials, at, host = rest.rpartition("@")
    return f"{scheme}{sep}***@{host}" if at and credentials else uri


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


def limit(request, name: str, per_minute: int, message: Message) -> None:
    """Count one request from the client's address against the named limit, or refuse it (429) with the
    wait in the reader's language. `message(language, seconds)` gives the text (plural forms need the count)."""
    wait = request.app.state.rate_limits.hit(name, per_minute, address_key(client_of(request)))
    if wait:
        seconds = wait_seconds(wait)
        # Already in the reader's language; the error handler fills in the count.
        raise TooManyRequests(message(_language(request), seconds), params={"seconds": seconds},
                              code="rate_limited")


def check_public_form(request, *, everyone: bool = False) -> None:
    """Form posts are limited per client address; staff who are signed in only where `everyone` says so."""
    if request.state.user is not None and not everyone:
        return
    limit(request, "public_form", request.app.state.settings.public_form_posts_per_minute, submissions_message)


def check_public_api(request) -> None:
    """Public API calls are limited per client address; callers with a valid API token are exempt."""
    user = request.state.user
    if user is not None and user.kind == "token":
        return
    limit(request, "public_api", request.app.state.settings.public_api_requests_per_minute, requests_message)
