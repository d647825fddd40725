"""Recently resolved API tokens, kept in this process for a few seconds.

A phone system asks a route for every call; looking its token up in the database each time would cost
more than the decision. A revoked token is refused by every process within `ttl` seconds (and at once
by the process that revoked it, if it clears the cache). Only tokens that resolved are kept, keyed by
their hash, and the cache is bounded.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

from surge.access.principal import Principal


class TokenCache:
    def __init__(self, ttl: float, max_entries: int = 10_000):
        self._ttl = ttl
        self._max = max_entries
        self._entries: OrderedDict[bytes, tuple[float, Principal]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(plaintext: str) -> bytes:
        return hashlib.sha256(plaintext.encode("utf-8", "surrogateescape")).digest()

    def get(self, plaintext: str) -> Principal | None:
        if self._ttl <= 0:
            return None
        key = self._key(plaintext)
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            if time.monotonic() > found[0]:
                del self._entries[key]
                return None
            return found[1]

    def put(self, plaintext: str, principal: Principal) -> None:
        if self._ttl <= 0:
            return
        with self._lock:
            self._entries[self._key(plaintext)] = (time.monotonic() + self._ttl, principal)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
