from datetime import datetime, timedelta, timezone

from surge.accounts.models import LoginThrottle
from surge.accounts.throttle import Policy, decide

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
POLICY = Policy(max_failures=5, lockout=timedelta(minutes=15))


def test_no_history_is_allowed():
    assert decide(None, now=NOW, policy=POLICY).allowed


def test_first_failures_are_free():
    row = LoginThrottle(email="a", failures=2, last_failure_at=NOW)
    assert decide(row, now=NOW, policy=POLICY).allowed


def test_backoff_doubles_after_the_free_failures():
    row = LoginThrottle(email="a", failures=4, last_failure_at=NOW)
    verdict = decide(row, now=NOW + timedelta(seconds=1), policy=POLICY)
    assert not verdict.allowed and not verdict.locked and verdict.retry_after == 2
    assert decide(row, now=NOW + timedelta(seconds=2), policy=POLICY).allowed


def test_lockout_holds_until_it_ends():
    row = LoginThrottle(email="a", failures=5, last_failure_at=NOW, locked_until=NOW + timedelta(minutes=15))
    verdict = decide(row, now=NOW + timedelta(minutes=5), policy=POLICY)
    assert verdict.locked and verdict.retry_after == 601
    assert decide(row, now=NOW + timedelta(minutes=16), policy=POLICY).allowed
