"""The wait after a failure: exponential, capped, fully jittered; errors trimmed to the column."""

import random

from surge.outbox.backoff import MAX_ERROR, delay, trim_error


def test_the_ceiling_doubles_with_each_attempt_up_to_the_cap():
    highest = lambda low, high: high  # noqa: E731 - the top of the jitter range
    assert [delay(n, base=30, cap=600, uniform=highest) for n in range(1, 7)] == [30, 60, 120, 240, 480, 600]
    assert delay(10_000, base=30, cap=600, uniform=highest) == 600  # no overflow on absurd counts


def test_full_jitter_draws_anywhere_from_zero_to_the_ceiling():
    rng = random.Random(1)
    draws = [delay(4, base=30, cap=3600, uniform=rng.uniform) for _ in range(2000)]
    assert 0 <= min(draws) < 10 and 230 < max(draws) <= 240
    assert 100 < sum(draws) / len(draws) < 140  # the mean of uniform(0, 240)


def test_errors_are_one_line_and_fit_the_column():
    assert trim_error("HTTP 503:\n  busy\n") == "HTTP 503: busy"
    long = trim_error("x" * 5000)
    assert len(long) == MAX_ERROR and long.endswith("…")
