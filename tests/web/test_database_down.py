"""With the database down, every caller gets 503 and Retry-After, never a 500."""

import pytest
from starlette.testclient import TestClient

from surge.web.app import create_app


@pytest.fixture
def down_client(settings):
    # An address nothing answers on, of the same kind as the suite's database.
    if settings.database_url.startswith("postgresql"):
        url = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2"
    else:
        url = "sqlite:////nonexistent-dir/nowhere.db"
    with TestClient(create_app(settings.with_(database_url=url)), raise_server_exceptions=False) as client:
        yield client


def test_a_page_with_a_session_cookie_gets_a_503_page(down_client):
    down_client.cookies.set("surge_session", "some-session-key")
    for path in ("/", "/login"):
        response = down_client.get(path, headers={"accept": "text/html"})
        assert response.status_code == 503, path
        assert int(response.headers["retry-after"]) > 0
        assert "try again in a moment" in response.text and "Traceback" not in response.text
        assert response.headers["content-type"].startswith("text/html")


def test_an_api_call_with_a_token_gets_json_503(down_client):
    response = down_client.get("/api/v1/me", headers={"authorization": "Bearer surge_abcdefabcdef"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert int(response.headers["retry-after"]) > 0


def test_the_503_follows_the_readers_language(down_client):
    down_client.cookies.set("surge_session", "some-session-key")
    response = down_client.get("/login?lang=es", headers={"accept": "text/html"})
    assert response.status_code == 503 and 'lang="es"' in response.text
    assert "Vuelva a intentarlo" in response.text


def test_a_handler_that_loses_the_database_answers_503(down_client):
    # No cookie: the caller lookup is skipped, and the log-in form's own transaction meets the outage.
    page = down_client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = down_client.post("/login", data={"email": "a@example.org", "password": "x" * 12, "csrf_token": token})
    assert response.status_code == 503 and "retry-after" in response.headers
