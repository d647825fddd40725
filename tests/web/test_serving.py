"""`surge serve` as a real process with two workers."""

import os
import signal
import socket
import subprocess
import sys
import time

import httpx

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


def test_serve_with_two_workers_answers_and_logs_json(tmp_path):
    port = _free_port()
    env = {**os.environ, "SURGE_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "SURGE_ENV": "test",
           "SURGE_LOG_JSON": "true"}
    subprocess.run([sys.executable, "-m", "surge.cli", "db", "upgrade"], env=env, check=True, capture_output=True,
                   timeout=60)
    server = subprocess.Popen([sys.executable, "-m", "surge.cli", "serve", "--port", str(port), "--workers", "2"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not come up"
            time.sleep(0.2)
        located = httpx.get(f"http://127.0.0.1:{port}/api/v1/geo/locate", params={"zip": "77002"}, timeout=30)
        assert located.json()["county_fips"] == "48201"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        _out, err = server.communicate(timeout=30)
    access_lines = [line for line in err.splitlines() if '"event": "request"' in line]
    assert access_lines, err[-2000:]
    assert '"path": "/healthz"' in access_lines[0]
