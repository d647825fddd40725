"""Parallel guesses: the check and the count are one step, nothing is lost, nothing fails.

Threads run a log-in post's two units of work against the real database, and a burst of posts hits
a real uvicorn server. Runs on SQLite and, with SURGE_TEST_DATABASE_URL, on PostgreSQL.
"""

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest
import uvicorn
from sqlmodel import Session, select

from surge.accounts import throttle
from surge.accounts.login import begin_attempt, log_in
from surge.accounts.models import LoginThrottle
from surge.kernel.audit import AuditEntry
from surge.kernel.db import run_in_transaction
from surge.web.app import create_app
from tests.accounts.test_login import FakeClock
from tests.conftest import csrf_from

GUESSES = 20
ADDRESS = "198.51.100.20"


def _guess(engine, clock, policy, email):
    verdict = run_in_transaction(engine, begin_attempt, email=email, address=ADDRESS, clock=clock, policy=policy)
    if not verdict.allowed:
        return "refused"
    outcome = run_in_transaction(engine, log_in, email=email, password="wrong-guess", address=ADDRESS,
                                 verdict=verdict, clock=clock, policy=policy, max_age=3600)
    return "checked" if outcome.principal is None else "logged in"


def _fire(engine, clock, policy, emails):
    with ThreadPoolExecutor(max_workers=10) as pool:
        return list(pool.map(lambda email: _guess(engine, clock, policy, email), emails))


def _counts(engine, action):
    with Session(engine) as session:
        return sum(row.count for row in session.exec(select(AuditEntry).where(AuditEntry.action == action)))


def test_parallel_guesses_at_one_account_check_no_more_than_the_limit(engine, make_user):
    make_user("admin", email="boss@example.org")
    clock = FakeClock()  # all at one instant: only the free tries may be checked, the rest must wait
    policy = throttle.Policy(max_failures=5, lockout=timedelta(minutes=15), address_max_failures=100)
    results = _fire(engine, clock, policy, ["boss@example.org"] * GUESSES)
    assert results.count("checked") == throttle.FREE_FAILURES
    assert results.count("refused") == GUESSES - throttle.FREE_FAILURES
    with Session(engine) as session:
        row = session.get(LoginThrottle, ("boss@example.org", ADDRESS))
        assert row.failures == throttle.FREE_FAILURES  # every checked failure counted, none lost
    assert _counts(engine, "auth.login_failed") == throttle.FREE_FAILURES
    assert _counts(engine, "auth.login_refused") == GUESSES - throttle.FREE_FAILURES


def test_parallel_guesses_across_accounts_stop_at_the_address_budget(engine):
    clock = FakeClock()
    policy = throttle.Policy(max_failures=5, lockout=timedelta(minutes=15), address_max_failures=7)
    results = _fire(engine, clock, policy, [f"user{i}@example.org" for i in range(GUESSES)])
    assert results.count("checked") == 7
    with Session(engine) as session:
        per_address = session.get(LoginThrottle, (throttle.ANY_ACCOUNT, ADDRESS))
        assert per_address.failures == 7 and per_address.locked_until is not None
    assert _counts(engine, "auth.login_failed") + _counts(engine, "auth.login_refused") == GUESSES


@pytest.fixture
def real_server(settings, engine):
    """The app served by uvicorn on a loopback port, with its clock frozen so back-off cannot lapse mid-burst."""
    app = create_app(settings.with_(password_hashing_slots=GUESSES, public_form_posts_per_minute=1000))
    app.state.clock = FakeClock()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_parallel_log_in_posts_at_a_real_server_count_every_one_and_never_fail(real_server, engine, make_user):
    make_user("admin", email="boss@example.org")
    with httpx.Client(base_url=real_server) as browser:
        token = csrf_from(browser.get("/login").text)
        form = {"email": "boss@example.org", "password": "wrong-guess", "csrf_token": token}

        def post(_):
            return browser.post("/login", data=form).status_code

        with ThreadPoolExecutor(max_workers=10) as pool:
            statuses = list(pool.map(post, range(GUESSES)))
    assert sorted(set(statuses)) == [401, 429], statuses  # no 500s
    assert statuses.count(401) == throttle.FREE_FAILURES
    with Session(engine) as session:
        assert session.get(LoginThrottle, ("boss@example.org", "127.0.0.1")).failures == throttle.FREE_FAILURES
    assert _counts(engine, "auth.login_failed") == throttle.FREE_FAILURES
    assert _counts(engine, "auth.login_refused") == GUESSES - throttle.FREE_FAILURES
