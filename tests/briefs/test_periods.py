"""Operational periods, pure: local wall-clock hours across daylight-saving changes, cron, and the bound."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from surge.briefs.periods import MAX_PERIODS, Rule, current, latest, periods
from surge.briefs.schemas import ScheduleIn
from surge.kernel.errors import ValidationFailed
from surge.kernel.validation import validate

CHICAGO = ZoneInfo("America/Chicago")
TWELVE_HOURS = Rule("America/Chicago", hours=12, start=datetime(2026, 3, 1, 7, 0))


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


def local_hours(found):
    return [(p.start.astimezone(CHICAGO).hour, p.end.astimezone(CHICAGO).hour) for p in found]


def test_twelve_hour_periods_end_at_seven_local_across_spring_forward():
    found = periods(TWELVE_HOURS, after=utc(2026, 3, 7, 12), until=utc(2026, 3, 9, 12))
    assert local_hours(found) == [(19, 7), (7, 19), (19, 7), (7, 19), (19, 7)]
    lengths = [p.end - p.start for p in found]
    assert timedelta(hours=11) in lengths  # the night the clocks went forward is an hour short
    assert all(a.end == b.start for a, b in zip(found, found[1:]))


def test_twelve_hour_periods_across_fall_back_last_thirteen_hours_once():
    found = periods(TWELVE_HOURS, after=utc(2026, 10, 31, 12), until=utc(2026, 11, 2, 14))
    assert set(local_hours(found)) == {(19, 7), (7, 19)}
    assert [p.end - p.start for p in found].count(timedelta(hours=13)) == 1


def test_periods_are_those_ending_after_and_up_to_until():
    found = periods(TWELVE_HOURS, after=utc(2026, 3, 2, 13), until=utc(2026, 3, 3, 13))  # 07:00 CST = 13:00 UTC
    assert [(p.start, p.end) for p in found] == [(utc(2026, 3, 2, 13), utc(2026, 3, 3, 1)),
                                                 (utc(2026, 3, 3, 1), utc(2026, 3, 3, 13))]
    assert periods(TWELVE_HOURS, after=utc(2026, 3, 3), until=utc(2026, 3, 3)) == []


def test_cron_periods_run_from_one_fire_time_to_the_next():
    rule = Rule("America/Chicago", cron="0 7,19 * * *")
    found = periods(rule, after=utc(2026, 3, 7, 12), until=utc(2026, 3, 9, 12))
    assert local_hours(found) == [(19, 7), (7, 19), (19, 7), (7, 19), (19, 7)]
    weekly = periods(Rule("UTC", cron="30 6 * * mon"), after=utc(2026, 11, 1), until=utc(2026, 11, 20))
    assert [(p.start, p.end) for p in weekly] == [(utc(2026, 10, 26, 6, 30), utc(2026, 11, 2, 6, 30)),
                                                 (utc(2026, 11, 2, 6, 30), utc(2026, 11, 9, 6, 30)),
                                                 (utc(2026, 11, 9, 6, 30), utc(2026, 11, 16, 6, 30))]


def test_a_far_until_is_bounded():
    assert len(periods(TWELVE_HOURS, after=utc(2026, 3, 1), until=utc(2999, 1, 1))) == MAX_PERIODS
    minutely = Rule("UTC", cron="* * * * *")
    assert len(periods(minutely, after=utc(2026, 3, 1), until=utc(2999, 1, 1), limit=50)) == 50


def test_latest_and_current():
    for rule in (TWELVE_HOURS, Rule("America/Chicago", cron="0 7,19 * * *")):
        last = latest(rule, after=utc(2026, 3, 1), until=utc(2026, 3, 9, 12, 30))
        assert (last.start, last.end) == (utc(2026, 3, 9, 0), utc(2026, 3, 9, 12))
        running = current(rule, now=utc(2026, 3, 9, 12, 30))
        assert (running.start, running.end) == (utc(2026, 3, 9, 12), utc(2026, 3, 10, 0))
    assert latest(TWELVE_HOURS, after=utc(2026, 3, 9, 12), until=utc(2026, 3, 9, 12, 30)) is None


@pytest.mark.parametrize("body, field", [
    ({"cron": "61 7 * * *", "timezone": "America/Chicago"}, "cron"),
    ({"cron": "0 7 * *", "timezone": "America/Chicago"}, "cron"),
    ({"cron": "0 7 * * * *", "timezone": "America/Chicago"}, "cron"),
    ({"cron": "0 7 * * *", "timezone": "Mars/Olympus"}, "timezone"),
    ({"operational_period_hours": 12, "timezone": "America/Chicago"}, "body"),
    ({"operational_period_hours": 0, "period_start": "2026-03-01T07:00", "timezone": "UTC"},
     "operational_period_hours"),
    ({"operational_period_hours": 12, "period_start": "2026-03-01T07:00Z", "timezone": "UTC"}, "period_start"),
])
def test_bad_schedules_are_refused_with_a_message(body, field):
    with pytest.raises(ValidationFailed) as refused:
        validate(ScheduleIn, body)
    assert field in refused.value.fields and refused.value.fields[field].strip()
