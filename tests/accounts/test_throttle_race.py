"""Parallel guesses against the real database: the check and the count are one step, nothing is lost.

Each thread is one log-in post's two units of work, as the page runs them. Runs on SQLite and, with
SURGE_TEST_DATABASE_URL, on PostgreSQL.
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlmodel import Session, select

from surge.accounts import throttle
from surge.accounts.login import begin_attempt, log_in
from surge.accounts.models import LoginThrottle
from surge.kernel.audit import AuditEntry
from surge.kernel.db import run_in_transaction
from tests.accounts.test_login import FakeClock

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
