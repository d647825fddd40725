"""Per-address rate limit for public form posts.

Counts live in process memory: each worker limits on its own, which bounds abuse without a shared
store. The decision is a sliding one-minute window per client address.
"""

from __future__ import annotations

import time
from collections import deque
from threading import Lock

from surge.kernel.errors import TooManyRequests
from surge.kernel.i18n import N_


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


def check_public_form(request) -> None:
    """Anonymous form posts are limited per client address; staff who are signed in are not."""
    if request.state.user is not None:
        return
    client = request.client.host if request.client else "unknown"
    wait = request.app.state.public_form_limiter.hit(client)
    if wait:
        raise TooManyRequests(
            N_("Too many submissions from your connection. Wait %(seconds)s seconds and try again."),
            params={"seconds": int(wait) + 1},
            code="rate_limited",
        )
