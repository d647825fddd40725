"""Delivery counts for Prometheus, by channel and outcome.

The counters live in prometheus_client's default registry of the process that runs the worker. Under
`surge serve` that process shares PROMETHEUS_MULTIPROC_DIR with the app's workers, so /metrics adds
them in; a separate `surge worker` counts them when started with PROMETHEUS_MULTIPROC_DIR pointing
at the same directory as the server.
"""

from __future__ import annotations

from functools import cache

from prometheus_client import Counter


@cache
def _deliveries() -> Counter:
    return Counter("surge_outbox_deliveries", "Outbox delivery attempts, by channel and outcome "
                   "(sent, failed: to be retried, dead: out of attempts).", ["channel", "outcome"])


def count(report) -> None:
    for (channel, outcome), n in report.counts.items():
        _deliveries().labels(channel, outcome).inc(n)
