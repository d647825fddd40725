"""`surge serve` as a real process with two workers."""

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
from prometheus_client.parser import text_string_to_metric_families

from surge.web.serving import _TcpConfig


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_worker_socket_is_declared_tcp_so_nagle_is_turned_off():
    config = _TcpConfig("surge.web.serving:create_served_app", factory=True, host="127.0.0.1", port=_free_port())
    sock = config.bind_socket()
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()


def _healthz_count(text: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "surge_http_requests_total" and sample.labels == {
                    "method": "GET", "path": "/healthz", "status": "200"}:
                return sample.value
    return 0.0


def test_serve_with_two_workers_answers_logs_json_and_exports_every_workers_metrics(tmp_path):
    port = _free_port()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "SURGE_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "SURGE_ENV": "test",
           "SURGE_LOG_JSON": "true", "TMPDIR": str(scratch)}
    env.pop("SURGE_SECRET_KEY", None)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    cli = [sys.executable, "-m", "surge.cli"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=60)
    created = subprocess.run([*cli, "token", "create", "--name", "prometheus", "--role", "admin"], env=env,
                             check=True, capture_output=True, text=True, timeout=60)
    scraper = {"authorization": f"Bearer {created.stdout.split()[-1]}"}
    server = subprocess.Popen([*cli, "serve", "--port", str(port), "--workers", "2"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                ready = httpx.get(f"{base}/readyz", timeout=2)
                if ready.status_code == 200:
                    break
                assert ready.status_code == 503 and ready.json()["geography"] == "loading", ready.text
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not become ready"
            time.sleep(0.2)
        assert ready.json() == {"status": "ok", "database": "ok", "geography": "loaded"}
        located = httpx.get(f"{base}/api/v1/geo/locate", params={"zip": "77002"}, timeout=30)
        assert located.json()["county_fips"] == "48201"
        # A fresh connection each time, so the two workers share the calls.
        for _ in range(20):
            assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200
        assert list(scratch.glob("surge-metrics-*/*.db")), "workers write no shared metrics"
        for _ in range(4):
            scraped = httpx.get(f"{base}/metrics", headers=scraper, timeout=10)
            assert scraped.status_code == 200
            assert _healthz_count(scraped.text) == 20
            assert "surge_build_info{" in scraped.text
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        _out, err = server.communicate(timeout=30)
    access_lines = [line for line in err.splitlines() if '"event": "request"' in line]
    assert access_lines, err[-2000:]
    assert '"path": "/readyz"' in access_lines[0]
    assert "development SURGE_SECRET_KEY" in err
    assert list(scratch.glob("surge-metrics-*")) == [], "the metrics directory outlived the server"


def test_each_worker_gets_a_socket_of_its_own_on_the_port_so_connections_spread():
    import pickle

    from surge.web.worker_sockets import PortOfEachWorker

    if not PortOfEachWorker.supported():
        return
    port = _free_port()
    # What a worker receives: unpickled there, the stand-in becomes that worker's own listening socket.
    first, second = (pickle.loads(pickle.dumps(PortOfEachWorker("127.0.0.1", port))) for _ in range(2))
    try:
        for sock in (first, second):
            assert sock.getsockname() == ("127.0.0.1", port)
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
    finally:
        first.close()
        second.close()
