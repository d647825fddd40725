"""Summaries that every benchmark prints: mean, median and p99 together.

A median alone hides the slow tail (points that need an exact test, a
worker that stalls); the mean and the 99th percentile show it.
"""

import time
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Summary:
    mean: float
    median: float
    p99: float
    n: int

    def show(self, unit: str, digits: int = 2) -> str:
        return (f"mean {self.mean:,.{digits}f} {unit}, median {self.median:,.{digits}f} {unit}, "
                f"p99 {self.p99:,.{digits}f} {unit} (n={self.n:,})")

    def ratio_to(self, baseline: "Summary") -> str:
        """How many times the baseline's figure each of this one is."""
        return (f"mean {baseline.mean / self.mean:,.1f}x, median {baseline.median / self.median:,.1f}x, "
                f"p99 {baseline.p99 / self.p99:,.1f}x")


def summarise(values) -> Summary:
    values = np.asarray(values, dtype=float)
    return Summary(float(values.mean()), float(np.median(values)), float(np.percentile(values, 99)), values.size)


def per_call_us(fn, args_list) -> Summary:
    """Time fn(*args) once per item, in microseconds."""
    clock = time.perf_counter_ns
    timings = []
    for args in args_list:
        start = clock()
        fn(*args)
        timings.append(clock() - start)
    return summarise(np.array(timings) / 1000)
