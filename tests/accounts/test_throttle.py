from datetime import datetime, timedelta, timezone

from surge.accounts.models import LoginThrottle
from surge.accounts.throttle import decide

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def test_no_history_is_allowed():
    assert decide(None, now=NOW).allowed


def test_first_failures_are_free():
    row = LoginThrottle(account="a", address="192.0.2.1", failures=2, last_failure_at=NOW)
    assert decide(row, now=NOW).allowed


def test_backoff_doubles_after_the_free_failures():
    row = LoginThrottle(account="a", address="192.0.2.1", failures=4, last_failure_at=NOW)
    verdict = decide(row, now=NOW + timedelta(seconds=1))
    assert not verdict.allowed and verdict.reason == "slowed" and verdict.retry_after == 1
    assert decide(row, now=NOW + timedelta(seconds=2)).allowed


def test_lockout_holds_until_it_ends():
    row = LoginThrottle(account="a", address="192.0.2.1", failures=5, last_failure_at=NOW,
                        locked_until=NOW + timedelta(minutes=15))
    verdict = decide(row, now=NOW + timedelta(minutes=5))
    assert verdict.reason == "locked" and verdict.retry_after == 600
    assert decide(row, now=NOW + timedelta(minutes=16)).allowed


def test_limits_count_ipv4_addresses_and_ipv6_networks():
    from surge.accounts.throttle import address_key

    assert address_key("203.0.113.5") == "203.0.113.5"
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2::ffff") == "2001:db8:1:2::/64"
    assert address_key("testclient") == "testclient"
