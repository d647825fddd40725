"""Shared fixtures: a real database (SQLite by default, PostgreSQL when asked), built by migrations."""

from __future__ import annotations

import io
import os
import secrets
import sys
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import make_url, text
from starlette.testclient import TestClient

from surge.access.principal import system
from surge.accounts.passwords import use_fast_hashing
from surge.kernel.db import make_engine, run_in_transaction
from surge.kernel.settings import Settings
from surge.kernel.validation import validate
from surge.schema import metadata, upgrade
from surge.web.app import create_app

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
TEST_ACTOR = system("test")
# Only the suite's own variables may reach it: a developer's SURGE_* settings must not change what tests see.
for _name in [name for name in os.environ if name.startswith("SURGE_")]:
    if not _name.startswith(("SURGE_TEST_", "SURGE_CHROMIUM")):
        del os.environ[_name]
use_fast_hashing(True)  # argon2's cheapest parameters: the same code, a fraction of the time


@contextmanager
def _private_postgres_database(url: str):
    """A fresh database beside the given one, so concurrent runs on one server never meet."""
    admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"surge_test_{os.getpid()}_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("SURGE_TEST_DATABASE_URL")
    if url and url.startswith("postgresql"):
        with _private_postgres_database(url) as private_url:
            upgrade(private_url)
            yield private_url
        return
    url = url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'surge-test.db'}"
    upgrade(url)
    yield url


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


REDIS_URL = os.environ.get("SURGE_TEST_REDIS_URL")


def drop_redis_keys(url: str, prefix: str) -> None:
    """Delete this test's rate-limit keys only: other runs may share the server and the database."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        for key in client.scan_iter(match=f"{prefix}*", count=500):
            client.delete(key)
    finally:
        client.close()


@pytest.fixture
def settings(database_url):
    """Test settings; with SURGE_TEST_REDIS_URL the rate limits count in Redis, under a prefix of this test's own."""
    chosen = Settings(database_url=database_url, secret_key=TEST_SECRET, env="test", log_json=False,
                      fast_password_hashing=True)
    if not REDIS_URL:
        yield chosen
        return
    prefix = f"surge-test-{secrets.token_hex(6)}"
    yield chosen.with_(rate_limit_storage=REDIS_URL, rate_limit_prefix=prefix)
    drop_redis_keys(REDIS_URL, prefix)


@pytest.fixture
def app(settings, engine):
    return create_app(settings)


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client


PASSWORD = "correct-horse-battery"


# A small real center for tests that only need a user or token tied to one.
TEST_CENTERS = {
    "houston-211": {"name": "Houston 2-1-1", "timezone": "America/Chicago", "counties": ["48201"]},
    "austin-211": {"name": "Austin 2-1-1", "timezone": "America/Chicago", "counties": ["48453"]},
}


@pytest.fixture
def make_center(engine):
    """Create a center through the domain code (or return the slug when it exists)."""
    from surge.centers import registry
    from surge.centers.models import CenterIn

    def make(slug="houston-211", **fields):
        if not fields and run_in_transaction(engine, registry.exists, slug=slug):
            return slug
        body = {"slug": slug, **TEST_CENTERS.get(slug, {"name": slug, "timezone": "America/Chicago",
                                                         "counties": ["48201"]}), **fields}
        run_in_transaction(engine, registry.create, data=validate(CenterIn, body), actor=TEST_ACTOR)
        return slug

    return make


TEST_CLEARINGHOUSE = {"name": "Volunteer Louisiana", "kind": "volunteer_center", "counties": ["22071", "22051"],
                      "location": {"zip": "70112"}, "accepts": {"skills": ["debris_removal", "muck_out"]}}


@pytest.fixture
def make_clearinghouse(engine):
    """Create a clearinghouse through the domain code (or return the slug when it exists)."""
    from clearinghouse import registry
    from clearinghouse.models import ClearinghouseIn

    def make(slug="volunteer-louisiana", **fields):
        if not fields and run_in_transaction(engine, registry.exists, slug=slug):
            return slug
        data = validate(ClearinghouseIn, {"slug": slug, **TEST_CLEARINGHOUSE, **fields})
        run_in_transaction(engine, registry.create, data=data, actor=TEST_ACTOR.actor)
        return slug

    return make


@pytest.fixture
def make_user(engine, make_center, make_clearinghouse):
    """Create a user through the domain code, as the CLI does."""
    from surge.accounts.models import UserIn
    from surge.accounts.users import create_user, find_by_email

    def make(role="admin", email=None, center=None, clearinghouse=None, password=PASSWORD):
        if role in ("supervisor", "call_taker") and center is None:
            center = "houston-211"
        if center:
            make_center(center)
        if role == "clearinghouse" and clearinghouse is None:
            clearinghouse = "volunteer-louisiana"
        if clearinghouse:
            make_clearinghouse(clearinghouse)
        data = validate(UserIn, {"email": email or f"{role}@example.org", "password": password, "role": role,
                                 "center_slug": center, "clearinghouse_slug": clearinghouse})
        run_in_transaction(engine, create_user, data=data, actor=TEST_ACTOR)
        return run_in_transaction(engine, find_by_email, email=data.email)

    return make


@pytest.fixture
def make_token(engine, make_center, make_clearinghouse):
    from surge.accounts.models import ApiTokenIn
    from surge.accounts.tokens import create_token

    def make(role="admin", name="test integration", center=None, clearinghouse=None):
        if role in ("supervisor", "call_taker", "phone_system") and center is None:
            center = "houston-211"
        if role == "clearinghouse" and clearinghouse is None:
            clearinghouse = "volunteer-louisiana"
        if center:
            make_center(center)
        if clearinghouse:
            make_clearinghouse(clearinghouse)
        data = validate(ApiTokenIn, {"name": name, "role": role, "center_slug": center,
                                     "clearinghouse_slug": clearinghouse})
        return run_in_transaction(engine, create_token, data=data, actor=TEST_ACTOR)

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


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def surge(database_url, engine, monkeypatch, capsys):
    """Run the `surge` command in-process through main(argv) against the test database."""
    from surge.cli import main

    monkeypatch.setenv("SURGE_DATABASE_URL", database_url)
    monkeypatch.setenv("SURGE_ENV", "test")
    monkeypatch.setenv("SURGE_SECRET_KEY", "cli-test-secret-0123456789abcdef0123")
    monkeypatch.setenv("SURGE_FAST_PASSWORD_HASHING", "true")

    def run(*args, stdin: str = ""):
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(args))
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run
