"""A bound on concurrent password hashing: each argon2 hash holds 64 MiB while it runs.

Without it, 40 log-ins at once took a server from 421 MB to 1.37 GB. When every slot is busy the
caller gets a 503 with Retry-After at once, rather than queueing memory behind the others.
"""

from __future__ import annotations

from contextlib import contextmanager
from threading import Lock
from typing import Iterator

RETRY_AFTER_SECONDS = 2


class HashingFull(Exception):
    pass


class HashingGate:
    def __init__(self, slots: int):
        self.slots = slots
        self.busy = 0
        self._lock = Lock()

    @contextmanager
    def slot(self) -> Iterator[None]:
        """One slot for the duration of the block, or HashingFull straight away."""
        with self._lock:
            if self.busy >= self.slots:
                raise HashingFull()
            self.busy += 1
        try:
            yield
        finally:
            with self._lock:
                self.busy -= 1
