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


PASSWORD = "correct-horse-battery"


@pytest.fixture
def make_user(engine):
    """Create a user through the domain code, as the CLI does."""
    from surge.accounts.models import UserIn
    from surge.accounts.users import create_user
    from surge.db import unit_of_work
    from surge.validation import validate

    def make(role="admin", email=None, center=None, clearinghouse=None, password=PASSWORD):
        if role in ("supervisor", "call_taker") and center is None:
            center = "houston-211"
        if role == "clearinghouse" and clearinghouse is None:
            clearinghouse = "volunteer-louisiana"
        data = validate(UserIn, {"email": email or f"{role}@example.org", "password": password, "role": role,
                                 "center_slug": center, "clearinghouse_slug": clearinghouse})
        with unit_of_work(engine) as session:
            return create_user(session, data=data, actor="test")

    return make


@pytest.fixture
def make_token(engine):
    from surge.accounts.models import ApiTokenIn
    from surge.accounts.tokens import create_token
    from surge.db import unit_of_work
    from surge.validation import validate

    def make(role="admin", name="test integration", center=None, clearinghouse=None):
        data = validate(ApiTokenIn, {"name": name, "role": role, "center_slug": center,
                                     "clearinghouse_slug": clearinghouse})
        with unit_of_work(engine) as session:
            return create_token(session, data=data, actor="test")[1]

    return make


def csrf_from(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def login(client):
    """Log the test client in through the real form."""

    def do(email, password=PASSWORD):
        token = csrf_from(client.get("/login").text)
        response = client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                               follow_redirects=False)
        return response

    return do
