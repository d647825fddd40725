"""Load-once helper: reference data is read on first use, never at import."""

import functools
import threading
from typing import Callable, TypeVar

T = TypeVar("T")


def once(build: Callable[[], T]) -> Callable[[], T]:
    """Wrap a zero-argument builder so it runs at most once per process.

    A lock (rather than functools.cache alone) keeps two threads that ask at
    the same moment from both paying for a multi-second build.
    """
    lock = threading.Lock()
    done: list[T] = []

    @functools.wraps(build)
    def get() -> T:
        if done:
            return done[0]
        with lock:
            if not done:
                done.append(build())
        return done[0]

    return get
