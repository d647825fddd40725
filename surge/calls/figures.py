"""The call figures the National Standards ask for, from a tally of calls: pure arithmetic, no database.

`surge.calls.metrics` counts the tally in SQL; the definitions of each figure are here and in the README's
"Call metrics" section.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tally:
    """Counts and sums over the calls offered in a window (see the README for which calls count)."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    answered_within: int = 0  # answered within the service-level threshold
    wait_s: float = 0.0  # total offered -> answered seconds of the answered calls
    handled: int = 0  # answered calls that also ended
    handle_s: float = 0.0  # total answered -> ended seconds of those
    overflow_out: int = 0
    overflow_in: int = 0
    region_calls: int = 0
    region_answered: int = 0


def share(part: float, whole: float) -> float | None:
    """part / whole, or None when there is nothing to divide by (no calls is not a 0 % rate)."""
    return None if whole <= 0 else round(part / whole, 4)


def average(total: float, count: int) -> float | None:
    return None if count <= 0 else round(total / count, 1)


def figures(tally: Tally) -> dict:
    counted = tally.offered - tally.short_abandoned  # short abandons are not real attempts to reach a person
    return {
        "offered": tally.offered,
        "answered": tally.answered,
        "abandoned": tally.abandoned,
        "short_abandoned": tally.short_abandoned,
        "abandon_rate": share(tally.abandoned - tally.short_abandoned, counted),
        "asa_s": average(tally.wait_s, tally.answered),
        "aht_s": average(tally.handle_s, tally.handled),
        "service_level": share(tally.answered_within, counted),
        "overflow_out": tally.overflow_out,
        "overflow_in": tally.overflow_in,
        "in_region_calls": tally.region_calls,
        "in_region_answer_rate": share(tally.region_answered, tally.region_calls),
    }
