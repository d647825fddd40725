"""Prometheus metrics: labelled by route template, per-app registry, text exposition."""

from __future__ import annotations

import pytest
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from surge.web.app import create_app
from surge.web.infra.metrics import MetricsMiddleware, new_registry


@pytest.fixture
def scrape(make_token):
    headers = {"authorization": f"Bearer {make_token(role='admin', name='prometheus')}"}

    def get(client):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 200
        return response

    return get


def _requests_total(text: str) -> dict[tuple[str, str, str], float]:
    counts = {}
    for family in text_string_to_metric_families(text):
        if family.name == "surge_http_requests":
            for sample in family.samples:
                if sample.name == "surge_http_requests_total":
                    labels = sample.labels
                    counts[(labels["method"], labels["path"], labels["status"])] = sample.value
    return counts


def test_requests_are_counted_by_route_template(client, scrape):
    assert client.get("/healthz").status_code == 200
    response = scrape(client)
    assert response.status_code == 200
    assert response.headers["content-type"] == CONTENT_TYPE_LATEST
    assert _requests_total(response.text)[("GET", "/healthz", "200")] == 1
    assert 'surge_http_request_duration_seconds_count{method="GET",path="/healthz"} 1.0' in response.text


def test_unknown_paths_are_unmatched_and_never_leak(client, scrape):
    assert client.get("/no-such-page/4815162342").status_code == 404
    text = scrape(client).text
    assert _requests_total(text)[("GET", "<unmatched>", "404")] == 1
    assert "4815162342" not in text and "no-such-page" not in text


def test_responses_sent_before_routing_are_labelled_by_route(settings, engine, scrape):
    with TestClient(create_app(settings.with_(max_body_bytes=10))) as client:
        assert client.post("/healthz", content=b"x" * 100).status_code == 413
        assert _requests_total(scrape(client).text)[("POST", "/healthz", "413")] == 1


def test_build_info_is_exported(client, scrape):
    assert 'surge_build_info{' in scrape(client).text


def test_each_app_has_its_own_registry(settings, engine):
    first, second = create_app(settings), create_app(settings)
    assert first.state.metrics_registry is not second.state.metrics_registry
    with TestClient(first) as client:
        client.get("/healthz")
    assert ("GET", "/healthz", "200") not in _requests_total(generate_latest(second.state.metrics_registry).decode())


async def _text(request):
    if request.path_params.get("fail"):
        raise RuntimeError("boom")
    return PlainTextResponse("ok")


def _instrumented(routes) -> tuple[Starlette, object]:
    registry = new_registry()
    return Starlette(routes=routes, middleware=[Middleware(MetricsMiddleware, registry=registry)]), registry


def test_path_parameters_and_mounts_collapse_to_templates():
    inner = [Route("/things/{thing_id:int}", _text)]
    app, registry = _instrumented([Mount("/api/v1/centers/{center}", routes=inner)])
    with TestClient(app) as client:
        client.get("/api/v1/centers/houston/things/42")
        client.get("/api/v1/centers/dallas/things/7")
        client.get("/api/v1/centers/dallas/nothing")
    counts = _requests_total(generate_latest(registry).decode())
    assert counts[("GET", "/api/v1/centers/{center}/things/{thing_id}", "200")] == 2
    assert counts[("GET", "<unmatched>", "404")] == 1


def test_odd_methods_and_crashes_are_bounded_labels():
    app, registry = _instrumented([Route("/boom/{fail}", _text, methods=["GET", "BREW"])])
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/boom/yes").status_code == 500
        client.request("BREW", "/boom/yes")
    counts = _requests_total(generate_latest(registry).decode())
    assert counts[("GET", "/boom/{fail}", "500")] == 1
    assert counts[("OTHER", "/boom/{fail}", "500")] == 1


def test_metrics_need_an_admin(client, make_token):
    assert client.get("/metrics").status_code == 401
    partner = make_token(role="partner")
    assert client.get("/metrics", headers={"authorization": f"Bearer {partner}"}).status_code == 403
