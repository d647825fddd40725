"""Failures reach people as clear pages or JSON, never as a stack trace."""

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from surge.web.app import create_app


def _explode(request):
    raise RuntimeError("secret internal detail")


@pytest.fixture
def fragile_client(settings, engine):
    app = create_app(settings)
    app.router.routes.append(Route("/explode", _explode))
    app.router.routes.append(Route("/api/v1/explode", _explode))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_unexpected_error_page_has_no_trace(fragile_client):
    response = fragile_client.get("/explode", headers={"accept": "text/html"})
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "secret internal detail" not in response.text and "Traceback" not in response.text


def test_unexpected_api_error_is_json_without_detail(fragile_client):
    response = fragile_client.get("/api/v1/explode")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal"
    assert "secret" not in response.text


def test_error_pages_speak_spanish(client):
    response = client.get("/nowhere?lang=es", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "no existe" in response.text
    assert 'lang="es"' in response.text


def test_method_not_allowed_is_a_clear_405(client):
    response = client.delete("/api/v1/geo/locate?zip=77002")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_language_links_keep_the_page_and_its_query(client):
    page = client.get("/login?next=/api/v1/me")
    assert 'href="/login?next=%2Fapi%2Fv1%2Fme&amp;lang=es"' in page.text or \
        'href="/login?next=/api/v1/me&amp;lang=es"' in page.text
