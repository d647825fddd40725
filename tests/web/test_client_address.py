"""The real client behind proxies: forwarded addresses are believed only from SURGE_TRUSTED_PROXIES."""

import ipaddress
import json
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from surge.kernel.audit import AuditEntry
from surge.kernel.db import make_engine
from surge.kernel.settings import Settings, SettingsError
from surge.web.app import create_app
from surge.web.infra.client_address import real_client
from tests.conftest import csrf_from

PROXY = [ipaddress.ip_network("10.0.0.0/8")]


@pytest.mark.parametrize("peer, forwarded, trusted, expected", [
    ("203.0.113.5", ["1.2.3.4"], [], "203.0.113.5"),  # no trusted proxy: the header is ignored
    ("203.0.113.5", ["1.2.3.4"], PROXY, "203.0.113.5"),  # the peer is not our proxy: ignored
    ("10.0.0.2", ["198.51.100.7"], PROXY, "198.51.100.7"),
    ("10.0.0.2", ["6.6.6.6, 198.51.100.7"], PROXY, "198.51.100.7"),  # a spoofed left entry does not win
    ("10.0.0.2", ["198.51.100.7, 10.0.0.9"], PROXY, "198.51.100.7"),  # two proxies deep
    ("10.0.0.2", ["not-an-ip, 198.51.100.7"], PROXY, "198.51.100.7"),
    ("10.0.0.2", ["198.51.100.7, garbage"], PROXY, "10.0.0.2"),  # garbled hop: trust nothing beyond it
    ("10.0.0.2", [], PROXY, "10.0.0.2"),
    ("10.0.0.2", ["[2001:db8::1]:443"], PROXY, "2001:db8::1"),
    ("::ffff:10.0.0.2", ["198.51.100.7"], PROXY, "198.51.100.7"),
])
def test_real_client(peer, forwarded, trusted, expected):
    assert real_client(peer, forwarded, trusted) == expected


def test_trusted_proxies_must_be_addresses_or_networks(monkeypatch):
    monkeypatch.setenv("SURGE_TRUSTED_PROXIES", "10.0.0.0/8, proxy.example")
    with pytest.raises(SettingsError, match="SURGE_TRUSTED_PROXIES"):
        Settings.from_env()


def _post(client):
    token = csrf_from(client.get("/login").text)
    return client.post("/login", data={"email": "x@example.org", "password": "nope-nope", "csrf_token": token},
                       headers={"x-forwarded-for": client.headers.get("x-forwarded-for", "")})


def _limited_app(settings, **changes):
    return create_app(settings.with_(public_form_posts_per_minute=2, **changes))


def test_without_trusted_proxies_a_forged_header_cannot_dodge_the_limit(settings, engine):
    app = _limited_app(settings)
    statuses = []
    for i in range(3):
        client = TestClient(app, client=("203.0.113.5", 4000), headers={"x-forwarded-for": f"192.0.2.{i}"})
        statuses.append(_post(client).status_code)
    assert statuses == [401, 401, 429]


def test_behind_a_trusted_proxy_each_user_has_their_own_limit_and_audit_address(settings, engine):
    app = _limited_app(settings, trusted_proxies="10.0.0.0/8")
    junk = TestClient(app, client=("10.0.0.2", 4000), headers={"x-forwarded-for": "198.51.100.66"})
    assert [_post(junk).status_code for _ in range(3)] == [401, 401, 429]
    admin = TestClient(app, client=("10.0.0.2", 4001), headers={"x-forwarded-for": "198.51.100.1"})
    assert _post(admin).status_code == 401  # not 429: the junk poster's bucket is their own
    with Session(engine) as session:
        addresses = {json.loads(row.diff)["address"] for row in session.exec(select(AuditEntry))}
    assert addresses == {"198.51.100.66", "198.51.100.1"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_surge_serve_ignores_forwarded_headers_from_loopback_by_default(tmp_path):
    """uvicorn once believed X-Forwarded-For from 127.0.0.1; `surge serve` must not."""
    port, database = _free_port(), f"sqlite:///{tmp_path / 'serve.db'}"
    env = {**os.environ, "SURGE_DATABASE_URL": database, "SURGE_ENV": "test", "SURGE_FAST_PASSWORD_HASHING": "true"}
    subprocess.run([sys.executable, "-m", "surge.cli", "db", "upgrade"], env=env, check=True, capture_output=True,
                   timeout=60)
    server = subprocess.Popen([sys.executable, "-m", "surge.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as browser:
            deadline = time.monotonic() + 60
            while True:
                try:
                    page = browser.get("/login")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "server did not come up"
                    time.sleep(0.2)
            refused = browser.post("/login", headers={"x-forwarded-for": "6.6.6.6"},
                                   data={"email": "x@example.org", "password": "nope-nope",
                                         "csrf_token": csrf_from(page.text)})
            assert refused.status_code == 401
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    engine = make_engine(database)
    try:
        with Session(engine) as session:
            [failed] = session.exec(select(AuditEntry).where(AuditEntry.action == "auth.login_failed")).all()
    finally:
        engine.dispose()
    assert json.loads(failed.diff)["address"] == "127.0.0.1"
