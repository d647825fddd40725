"""The coverage API against the shapes of the geometry denial-of-service finding."""

import os
import time

import pytest

from tests.hostile_shapes import across_the_antimeridian, comb, hatching, overlapping_holes, star

# Each shape costs at most about 1 s; the bound is generous so that a busy machine cannot fail the suite.
GENEROUS_SECONDS = 10


@pytest.fixture
def em_headers(make_token):
    return {"authorization": f"Bearer {make_token(role='emergency_manager')}"}


def post(client, headers, shape):
    started = time.monotonic()
    response = client.post("/api/v1/geo/coverage", json=shape, headers=headers)
    assert time.monotonic() - started < GENEROUS_SECONDS
    return response


@pytest.mark.parametrize("shape", [star(301, 150), overlapping_holes(), comb(), hatching()],
                         ids=["star-301", "overlapping-holes", "comb-10000", "hatching"])
def test_costly_shapes_are_refused_as_too_complex(client, em_headers, shape):
    response = post(client, em_headers, shape)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "too_complex"
    assert error["message"].startswith("The shape is too complex")
    assert "geometry" in error["fields"]


def test_the_refusal_is_translated(client, em_headers):
    response = client.post("/api/v1/geo/coverage", json=star(301, 150),
                           headers={**em_headers, "accept-language": "es"})
    assert response.json()["error"]["message"].startswith("La forma es demasiado compleja")
    assert "10,000" in response.json()["error"]["message"]


def test_a_star_within_the_limits_is_answered(client, em_headers):
    response = post(client, em_headers, star(101, 50))
    assert response.status_code == 200
    assert response.json()["repaired"] is True
    assert "48201" in {c["county_fips"] for c in response.json()["counties"]}


def test_a_detailed_valid_outline_is_answered(client, em_headers):
    response = post(client, em_headers, star(9_999, 1, centre=(-98, 38), radius=8))
    assert response.status_code == 200
    assert len(response.json()["counties"]) > 500


def test_a_polygon_across_the_antimeridian_covers_only_the_aleutians(client, em_headers):
    response = post(client, em_headers, across_the_antimeridian())
    assert response.status_code == 200
    # Aleutians West only; read the long way round, the box would take in Aleutians East (02013) too.
    assert [c["county_fips"] for c in response.json()["counties"]] == ["02016"]


def test_a_client_that_leaves_stops_the_work(app, em_headers):
    """Over raw ASGI, the client disconnects right after sending its shape: the job is dropped and its worker killed."""
    import json

    import anyio

    from tests.web.test_geometry_workers import alive, run

    body = json.dumps(star(101, 50)).encode()
    sent = []
    messages = [{"type": "http.request", "body": body, "more_body": False}, {"type": "http.disconnect"}]

    async def receive():
        if len(messages) == 1:
            # Leave only once the job is in a worker's hands (the shape takes it a good part of a second).
            while not app.state.geometry_workers._busy:
                await anyio.sleep(0.005)
            await anyio.sleep(0.02)
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    sent_headers = {**em_headers, "host": "testserver", "content-type": "application/json",
                    "content-length": str(len(body))}
    headers = [(k.encode(), v.encode()) for k, v in sent_headers.items()]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/api/v1/geo/coverage", "raw_path": b"/api/v1/geo/coverage", "query_string": b"",
             "root_path": "", "headers": headers, "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
             "state": {}}
    workers = app.state.geometry_workers
    worker_pid = []

    async def main():
        worker_pid.append(await workers.run(os.getpid))  # a worker is up and idle, ready for the shape
        started = time.monotonic()
        await app(scope, receive, send)
        assert time.monotonic() - started < GENEROUS_SECONDS

    try:
        run(main)
        assert sent[0]["status"] == 499
        assert not alive(worker_pid[0])  # killed in the middle of the job
    finally:
        workers.close()
