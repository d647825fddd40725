"""Access log: one structured line per request, with a request id the client can quote back."""

from __future__ import annotations

import re

import pytest
import structlog
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from surge.web.infra.access_log import AccessLogMiddleware

GENERATED = re.compile(r"[0-9a-f]{32}")


def _access_lines(logs: list[dict]) -> list[dict]:
    return [entry for entry in logs if entry["event"] == "request"]


def test_a_sane_request_id_is_echoed_and_logged(client):
    with structlog.testing.capture_logs() as logs:
        response = client.get("/healthz", headers={"X-Request-ID": "call-7.a_B"})
    assert response.headers["x-request-id"] == "call-7.a_B"
    [line] = _access_lines(logs)
    assert line["method"] == "GET" and line["path"] == "/healthz" and line["status"] == 200
    assert line["request_id"] == "call-7.a_B"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["log_level"] == "info"


@pytest.mark.parametrize(
    "supplied",
    ["<script>alert(1)</script>", "two\nlines", "with space", "x" * 65, ""],
)
def test_an_unsafe_request_id_is_replaced(client, supplied):
    with structlog.testing.capture_logs() as logs:
        response = client.get("/healthz", headers={"X-Request-ID": supplied})
    echoed = response.headers["x-request-id"]
    assert GENERATED.fullmatch(echoed)
    assert _access_lines(logs)[0]["request_id"] == echoed


def test_a_request_id_is_generated_when_absent_and_on_errors(client):
    with structlog.testing.capture_logs() as logs:
        first = client.get("/no-such-page")
        second = client.get("/no-such-page")
    assert first.status_code == 404
    assert GENERATED.fullmatch(first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    assert [line["status"] for line in _access_lines(logs)] == [404, 404]


def test_the_logged_path_keeps_its_encoding(client):
    with structlog.testing.capture_logs() as logs:
        client.get("/forged%0Aline")
    assert _access_lines(logs)[0]["path"] == "/forged%0Aline"


async def _context(request):
    if request.query_params.get("fail"):
        raise RuntimeError("boom")
    return JSONResponse(
        {"bound": structlog.contextvars.get_contextvars().get("request_id"), "state": request.state.request_id}
    )


def _app() -> Starlette:
    return Starlette(routes=[Route("/ctx", _context)], middleware=[Middleware(AccessLogMiddleware)])


def test_the_request_id_is_bound_for_each_request():
    with TestClient(_app()) as client:
        first = client.get("/ctx", headers={"X-Request-ID": "abc123"}).json()
        second = client.get("/ctx").json()
    assert first == {"bound": "abc123", "state": "abc123"}
    assert GENERATED.fullmatch(second["bound"]) and second["bound"] == second["state"]


def test_a_crash_is_logged_as_a_500():
    with structlog.testing.capture_logs() as logs, TestClient(_app(), raise_server_exceptions=False) as client:
        assert client.get("/ctx?fail=1").status_code == 500
    assert _access_lines(logs)[0]["status"] == 500
