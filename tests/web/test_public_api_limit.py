"""The public geography API is limited per address; a caller with a valid API token is exempt."""

import pytest
from starlette.testclient import TestClient

from surge.web.app import create_app

LOCATE = "/api/v1/geo/locate?zip=77002"


@pytest.fixture
def limited(settings, engine):
    with TestClient(create_app(settings.with_(public_api_requests_per_minute=2)), client=("203.0.113.5", 1)) as client:
        yield client


def test_anonymous_callers_are_limited_with_retry_after(limited):
    statuses = [limited.get(LOCATE).status_code for _ in range(2)]
    refused = limited.get("/api/v1/geo/counties/48201")  # one budget across the geography API
    assert statuses == [200, 200] and refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 60
    error = refused.json()["error"]
    assert error["code"] == "rate_limited" and "use an API token" in error["message"]


def test_the_wait_is_translated_with_plural_forms(limited):
    for _ in range(2):
        limited.get(LOCATE)
    message = limited.get(LOCATE, headers={"accept-language": "es"}).json()["error"]["message"]
    assert "Demasiadas solicitudes desde su conexión" in message and "segundo" in message


def test_a_valid_api_token_is_exempt_but_a_bad_one_is_not(limited, make_token):
    good = {"authorization": f"Bearer {make_token(role='partner', name='phone system')}"}
    assert {limited.get(LOCATE, headers=good).status_code for _ in range(5)} == {200}
    bad = {"authorization": "Bearer not-a-token"}
    assert [limited.get(LOCATE, headers=bad).status_code for _ in range(3)][-1] == 429


def test_the_limit_is_documented_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "429" in paths["/api/v1/geo/locate"]["get"]["responses"]
    assert "429" in paths["/api/v1/geo/counties/{fips}"]["get"]["responses"]
    assert "429" not in paths["/api/v1/geo/coverage"]["post"]["responses"]
