"""Fixtures for routing exports: the demo network loaded through the domain code, and the CLI run in-process."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from surge.kernel.db import run_in_transaction
from tests.conftest import TEST_ACTOR

# Wednesday 2026-11-25: 15:00 UTC is 09:00 in Texas and Louisiana (every demo center open), 08:00 UTC is 02:00
# there (only the 24/7 centers open).
DAY = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)
NIGHT = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def demo_network(engine):
    from surge.demo_network import load_network

    return run_in_transaction(engine, load_network, actor=TEST_ACTOR)


@pytest.fixture
def surge_cli(surge):
    return surge
