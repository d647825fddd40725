"""Rate limits held in Redis hold across app instances (workers, hosts); a Redis that is down lets requests through."""

import os
import secrets

import pytest
import structlog
from starlette.testclient import TestClient

from surge.kernel.settings import Settings
from surge.web.app import create_app
from surge.web.infra.rate_limit import RateLimits
from tests.conftest import drop_redis_keys

REDIS_URL = os.environ.get("SURGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LOCATE = "/api/v1/geo/locate?zip=77002"


def _redis_answers(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


@pytest.fixture
def shared(settings):
    """Settings whose limits count in Redis under a prefix of this test's own, removed afterwards."""
    if not _redis_answers(REDIS_URL):
        pytest.skip(f"Redis does not answer at {REDIS_URL} (start redis-server, or set SURGE_TEST_REDIS_URL)")
    prefix = f"surge-test-{secrets.token_hex(6)}"
    yield settings.with_(rate_limit_storage=REDIS_URL, rate_limit_prefix=prefix)
    drop_redis_keys(REDIS_URL, prefix)


def test_two_app_instances_share_one_count(shared, engine):
    limited = shared.with_(public_api_requests_per_minute=3)
    first = TestClient(create_app(limited), client=("203.0.113.7", 1))
    second = TestClient(create_app(limited), client=("203.0.113.7", 2))
    statuses = [client.get(LOCATE).status_code for client in (first, second, first, second)]
    assert statuses == [200, 200, 200, 429]
    assert 0 < int(second.get(LOCATE).headers["retry-after"]) <= 60
    # Another address, through either instance, has its own budget.
    assert TestClient(create_app(limited), client=("203.0.113.8", 1)).get(LOCATE).status_code == 200


def test_form_posts_are_counted_across_instances_too(shared, engine):
    limited = shared.with_(public_form_posts_per_minute=2)
    apps = [create_app(limited), create_app(limited)]
    statuses = []
    for app in apps + apps:
        with TestClient(app, client=("2001:db8:7::1", 1)) as client:
            page = client.get("/login")
            token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
            statuses.append(client.post("/login", data={"email": "x@example.org", "password": "nope-nope",
                                                        "csrf_token": token}).status_code)
    assert statuses == [401, 401, 429, 429]


def test_installs_with_different_prefixes_do_not_share_counts(shared, engine):
    other = shared.with_(rate_limit_prefix=shared.rate_limit_prefix + "-other", public_api_requests_per_minute=1)
    mine = shared.with_(public_api_requests_per_minute=1)
    try:
        codes = [TestClient(create_app(s), client=("203.0.113.9", 1)).get(LOCATE).status_code for s in (mine, other)]
    finally:
        drop_redis_keys(REDIS_URL, other.rate_limit_prefix)
    assert codes == [200, 200]


def test_an_unreachable_redis_lets_requests_through_and_warns_once(settings, engine):
    down = settings.with_(rate_limit_storage="redis://127.0.0.1:1/0", public_api_requests_per_minute=1)
    with structlog.testing.capture_logs() as logs:
        with TestClient(create_app(down), client=("203.0.113.10", 1)) as client:
            statuses = {client.get(LOCATE).status_code for _ in range(3)}
    assert statuses == {200}
    warnings = [entry for entry in logs if entry["event"] == "rate_limit_storage_unreachable"]
    assert len(warnings) == 1 and warnings[0]["log_level"] == "warning"


def test_redis_is_tried_again_after_a_pause_and_warned_about_at_most_once_a_minute():
    now = [0.0]
    limits = RateLimits("redis://127.0.0.1:1/0", clock=lambda: now[0])
    with structlog.testing.capture_logs() as logs:
        for moment in (0, 1, 6, 12, 61):
            now[0] = moment
            assert limits.hit("public_api", 1, "203.0.113.11") == 0
    assert len([entry for entry in logs if entry["event"] == "rate_limit_storage_unreachable"]) == 2


def test_the_storage_setting_takes_memory_or_redis_only():
    assert Settings(rate_limit_storage="rediss://cache.example.org:6380/2").rate_limit_storage.startswith("rediss")
    with pytest.raises(ValueError, match="SURGE_RATE_LIMIT_STORAGE"):
        Settings(rate_limit_storage="memcached://127.0.0.1:11211")


def test_a_password_in_the_storage_url_is_not_logged():
    from surge.web.infra.rate_limit import _without_password

    assert _without_password("redis://:hunter2@cache:6379/0") == "redis://***@cache:6379/0"
    assert _without_password("memory://") == "memory://"
