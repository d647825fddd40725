"""A log-in ends after a spell unused, as it does at its absolute expiry."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from surge.accounts.models import WebSession
from surge.kernel.clock import utcnow
from surge.web.app import create_app
from tests.conftest import PASSWORD, csrf_from


@pytest.fixture
def idle_client(settings, engine, make_user):
    make_user("admin", email="chief@example.org")
    with TestClient(create_app(settings.with_(session_idle_timeout=600))) as client:
        token = csrf_from(client.get("/login").text)
        client.post("/login", data={"email": "chief@example.org", "password": PASSWORD, "csrf_token": token})
        yield client


def _last_seen(engine, minutes_ago: float | None = None):
    """The session's last use; moved into the past first when asked (time passing, on the real row)."""
    with Session(engine) as session:
        row = session.exec(select(WebSession)).one()
        if minutes_ago is not None:
            row.last_seen_at = utcnow() - timedelta(minutes=minutes_ago)
            session.add(row)
            session.commit()
        return row.last_seen_at


def test_an_idle_session_sends_the_reader_to_log_in_with_the_expired_note(idle_client, engine):
    assert idle_client.get("/api/v1/me").status_code == 200
    _last_seen(engine, minutes_ago=11)
    response = idle_client.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["error"]["code"] == "session_expired"
    with Session(engine) as session:
        assert session.exec(select(WebSession)).all() == []


def test_an_idle_session_shows_the_expired_note_and_clears_the_cookie(settings, engine, make_user):
    make_user("admin", email="chief@example.org")
    with TestClient(create_app(settings.with_(session_idle_timeout=600))) as client:
        token = csrf_from(client.get("/login").text)
        client.post("/login", data={"email": "chief@example.org", "password": PASSWORD, "csrf_token": token})
        _last_seen(engine, minutes_ago=11)
        page = client.get("/login")
        assert "Your session has expired" in page.text
        assert "surge_session=; Path=/; Max-Age=0" in page.headers["set-cookie"]


def test_use_keeps_a_session_alive_and_is_written_at_most_once_a_minute(idle_client, engine):
    first = _last_seen(engine)
    for _ in range(3):
        assert idle_client.get("/api/v1/me").status_code == 200
    assert _last_seen(engine) == first  # within the minute: no writes
    _last_seen(engine, minutes_ago=9)
    assert idle_client.get("/api/v1/me").status_code == 200
    assert utcnow() - _last_seen(engine) < timedelta(seconds=30)  # stamped again
    _last_seen(engine, minutes_ago=9)
    assert idle_client.get("/api/v1/me").status_code == 200  # 18 minutes signed in, never 10 idle
