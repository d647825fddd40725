"""Fixtures for routing exports: the demo network loaded through the domain code, and the CLI run in-process."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
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


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def surge_cli(database_url, engine, monkeypatch, capsys):
    monkeypatch.setenv("SURGE_DATABASE_URL", database_url)
    monkeypatch.setenv("SURGE_ENV", "test")
    monkeypatch.setenv("SURGE_SECRET_KEY", "cli-test-secret-0123456789abcdef0123")

    def run(*args):
        from surge.cli import main

        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        code = main(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run
