"""The wallboard's read model, without a database: open state, freshness, firing triggers, inactive agreements."""

from datetime import datetime, timedelta, timezone

from surge.centers.models import Agreement, Center, CenterStatus
from surge.centers.triggers import StalePolicy
from surge.centers.wallboard import CallFigures, CallWindow, build

# A Wednesday, 15:00 in Houston.
NOON = datetime(2026, 11, 25, 21, 0, tzinfo=timezone.utc)
STALE = timedelta(minutes=5)
WEEKDAYS = {day: [["08:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def center(slug, **fields):
    return Center(slug=slug, name=fields.pop("name", slug), timezone="America/Chicago", counties=["48201"],
                  **fields)


def agreement(id_, from_, to, triggers, **fields):
    return Agreement(id=id_, from_center=from_, to_center=to, triggers=triggers, **fields)


def status(slug, at, **load):
    values = {"calls_waiting": 0, "longest_wait_s": 0, "agents_available": 3, "agents_staffed": 5, **load}
    return CenterStatus(center_slug=slug, reported_at=at, **values)


def board(centers, agreements, statuses, *, at=NOON, policy=StalePolicy.UNKNOWN, **kwargs):
    return build(centers, agreements, statuses, at=at, stale_after=STALE, policy=policy, **kwargs)


def test_load_triggers_fire_from_a_fresh_status():
    result = board([center("a", hours=WEEKDAYS), center("b")],
                   [agreement(1, "a", "b", {"calls_waiting": 10, "no_agents": True})],
                   [status("a", NOON - timedelta(seconds=30), calls_waiting=12, agents_available=1)])
    a = next(c for c in result.centers if c.slug == "a")
    assert a.status == "fresh" and a.status_age_s == 30 and a.open and a.open_reason == "scheduled_open"
    assert a.agreements[0].firing == ["calls_waiting"] and a.overflowing
    assert result.totals.model_dump() == {"centers": 2, "open": 2, "closed": 0, "overflowing": 1, "stale": 1}


def test_a_stale_status_counts_as_unknown_or_normal_by_policy():
    rows = ([center("a"), center("b")], [agreement(1, "a", "b", {"calls_waiting": 10})],
            [status("a", NOON - timedelta(minutes=6), calls_waiting=50)])
    unknown = board(*rows).centers[0]
    assert unknown.status == "stale" and unknown.agreements[0].firing == ["status_unknown"]
    assert unknown.load.calls_waiting == 50  # the old report is still shown, though not used
    normal = board(*rows, policy=StalePolicy.NORMAL).centers[0]
    assert normal.agreements[0].firing == []


def test_after_hours_closures_and_reported_state():
    late = datetime(2026, 11, 26, 3, 0, tzinfo=timezone.utc)  # 21:00 in Houston
    rows = [center("a", hours=WEEKDAYS), center("b")]
    after = board(rows, [agreement(1, "a", "b", {"after_hours": True, "closed": True})], [], at=late).centers[0]
    assert not after.open and after.open_reason == "after_hours" and after.agreements[0].firing == ["after_hours"]
    closed = board([center("a", closures=["2026-11-25"]), center("b")],
                   [agreement(1, "a", "b", {"closed": True})], []).centers[0]
    assert closed.open_reason == "closure" and closed.agreements[0].firing == ["closed"]
    reported = board(rows, [agreement(1, "a", "b", {"closed": True})], [status("a", NOON, open=False)]).centers[0]
    assert reported.open_reason == "reported_closed" and reported.agreements[0].firing == ["closed"]


def test_disaster_only_and_out_of_date_agreements_are_inactive():
    rows = [center("a"), center("b"), center("c"), center("d")]
    deals = [agreement(1, "a", "b", {"always": True}, disaster_only=True),
             agreement(2, "a", "c", {"always": True}, valid_to=NOON - timedelta(days=1)),
             agreement(3, "a", "d", {"always": True}, valid_from=NOON + timedelta(days=1))]
    a = board(rows, deals, []).centers[0]
    assert [(s.active, s.inactive_reason, s.firing) for s in a.agreements] == [
        (False, "disaster_only", []), (False, "expired", []), (False, "not_yet_valid", [])]
    assert not a.overflowing
    # Live once a county of its from-center is under an active incident, and only then.
    assert board(rows, deals, [], disaster_counties=frozenset({"48201"})).centers[0].agreements[0].firing == [
        "always"]
    assert board(rows, deals, [], disaster_counties=frozenset({"22071"})).centers[0].agreements[0].firing == []


def test_inactive_centers_are_left_out_and_call_figures_are_passed_through():
    result = board([center("a", name="Zed"), center("b", name="alpha"), center("c", active=False)],
                   [agreement(1, "a", "c", {"always": True})], [],
                   calls={"a": CallFigures(today=CallWindow(offered=40, answered=38, abandon_rate=0.05, asa_s=21.0))})
    assert [c.slug for c in result.centers] == ["b", "a"]  # by name, whatever its case
    assert result.centers[1].agreements == []  # its partner is gone
    assert result.centers[1].calls.today.offered == 40 and result.centers[0].calls is None
