"""Shared fixtures: a real database (SQLite by default, PostgreSQL when asked), built by migrations."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from surge.app import create_app
from surge.db import make_engine
from surge.migrate import upgrade
from surge.models import metadata
from surge.settings import Settings

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("SURGE_TEST_DATABASE_URL")
    if url:
        if url.startswith("postgresql"):
            _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'surge-test.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Empty every table after each test that touched the database."""
    yield
    if "engine" not in request.fixturenames:
        return
    engine = request.getfixturevalue("engine")
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET, env="test", log_json=False)


@pytest.fixture
def app(settings, engine):
    return create_app(settings)


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client
