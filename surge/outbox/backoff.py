"""When to try a failed message again: exponential backoff with full jitter, and a trimmed error."""

from __future__ import annotations

import random
from typing import Callable

MAX_ERROR = 1000  # the last_error column

Uniform = Callable[[float, float], float]


def delay(attempts: int, *, base: float, cap: float, uniform: Uniform = random.uniform) -> float:
    """Seconds to wait after the `attempts`-th failure: anywhere from 0 to min(cap, base x 2^(attempts-1)).

    Full jitter spreads the retries of many messages that failed together (a receiver that was down),
    so they do not all come back at the same moment.
    """
    ceiling = min(cap, base * 2 ** min(max(attempts - 1, 0), 60))
    return uniform(0, ceiling)


def trim_error(text: str) -> str:
    """One line, no longer than the column."""
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_ERROR else line[:MAX_ERROR - 1] + "…"
