"""A resolved API token is trusted for SURGE_TOKEN_CACHE_SECONDS, then looked up again."""

from __future__ import annotations

from sqlalchemy import event
from starlette.testclient import TestClient

from surge.accounts.tokens import revoke
from surge.kernel.db import run_in_transaction
from surge.web.app import create_app
from tests.conftest import TEST_ACTOR


def token_queries(app, client, token, times):
    seen = []

    def count(conn, cursor, statement, *args):
        if "api_tokens" in statement:
            seen.append(statement)

    engine = app.state.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(times):
            assert client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_a_busy_token_is_looked_up_once_not_on_every_call(settings, engine, make_token):
    token = make_token("admin")
    app = create_app(settings.with_(token_cache_seconds=30))
    with TestClient(app) as client:
        assert token_queries(app, client, token, 1) >= 1  # looked up (and its last use stamped)
        assert token_queries(app, client, token, 9) == 0


def test_without_the_cache_a_revoked_token_is_refused_at_once(settings, engine, make_token):
    token = make_token("admin")
    app = create_app(settings.with_(token_cache_seconds=0))
    with TestClient(app) as client:
        token_queries(app, client, token, 1)
        assert token_queries(app, client, token, 2) == 2
        run_in_transaction(engine, revoke, prefix=token[:14], actor=TEST_ACTOR)
        assert client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).status_code == 401


def test_an_unknown_token_is_never_cached(settings, engine, make_token):
    app = create_app(settings.with_(token_cache_seconds=30))
    with TestClient(app) as client:
        for _ in range(2):
            answer = client.get("/api/v1/me", headers={"authorization": "Bearer surge_nothing-like-a-real-one"})
            assert answer.status_code == 401
