"""The routing rules, decided in memory on small hand-made networks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from surge.centers.models import Agreement, Center
from surge.centers.triggers import Load, StalePolicy
from surge.routing.decide import LiveView, Need, decide
from surge.routing.plan import build_plan

# Monday 2026-11-30, 10:00 in Houston (16:00 UTC); the same day at 23:00 local is 05:00 UTC Tuesday.
MONDAY_10 = datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc)
MONDAY_23 = datetime(2026, 12, 1, 5, 0, tzinfo=timezone.utc)
WEEKDAYS = {d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def center(slug, counties=(), hours="24/7", languages=("en",), tty=False, area_counties=(), zips=(), **kw):
    return Center(slug=slug, name=slug.title(), timezone="America/Chicago", counties=list(counties),
                  area_counties=list(area_counties), zips=list(zips), hours=hours, closures=kw.get("closures", []),
                  languages=list(languages), tty=tty, active=kw.get("active", True))


def agreement(id, frm, to, priority=1, **kw):
    return Agreement(id=id, from_center=frm, to_center=to, priority=priority, counties=kw.get("counties", []),
                     languages=kw.get("languages", []), triggers=kw.get("triggers", {"calls_waiting": 10}),
                     max_calls_per_hour=kw.get("cap"), disaster_only=kw.get("disaster_only", False),
                     valid_from=kw.get("valid_from"), valid_to=kw.get("valid_to"))


def load(waiting=0, wait=0, available=3, staffed=5, open=None, at=MONDAY_10):
    return Load(waiting, wait, available, staffed, open, at - timedelta(seconds=30))


NETWORK = [
    center("houston", ["48201"], languages=("en", "es"), tty=True),
    center("beaumont", ["48245"], hours=WEEKDAYS, languages=("en", "es")),
    center("austin", ["48453"], languages=("en",)),
    center("dallas", ["48113"], languages=("en", "es", "vi"), tty=True),
]
AGREEMENTS = [
    agreement(1, "houston", "beaumont", 1, triggers={"calls_waiting": 20}),
    agreement(2, "houston", "austin", 2, triggers={"longest_wait_s": 120, "after_hours": True}),
    agreement(3, "houston", "dallas", 3, triggers={"always": True}, disaster_only=True),
    agreement(4, "beaumont", "houston", 1, triggers={"after_hours": True, "closed": True}),
]


def route(view=None, county="48201", need=Need(), at=MONDAY_10, centers=NETWORK, agreements=AGREEMENTS, zip=None):
    plan = build_plan(centers, agreements)
    return decide(plan, county, zip, need, at, view or LiveView())


def summary(decision):
    return [(t.center, t.reason) for t in decision.targets]


def test_a_quiet_open_home_center_takes_the_call_alone():
    decision = route(LiveView(loads={"houston": load()}))
    assert summary(decision) == [("houston", "home")]
    assert decision.skipped == [] and decision.stale == []


def test_a_firing_trigger_puts_its_partner_first_and_home_after():
    decision = route(LiveView(loads={"houston": load(waiting=25), "beaumont": load()}))
    assert summary(decision) == [("beaumont", "overflow"), ("houston", "home_after_overflow")]
    assert decision.targets[0].agreement == 1 and decision.targets[0].triggers == ["calls_waiting"]


def test_only_firing_agreements_are_tried_while_home_is_open():
    decision = route(LiveView(loads={"houston": load(wait=300)}))
    assert summary(decision) == [("austin", "overflow"), ("houston", "home_after_overflow")]


def test_all_agreements_are_tried_when_home_is_closed_and_home_does_not_follow():
    decision = route(LiveView(loads={"houston": load(open=False)}))
    assert summary(decision) == [("beaumont", "overflow"), ("austin", "overflow")]
    assert [(s.center, s.why) for s in decision.skipped] == [("houston", "closed")]


def test_a_closed_partner_is_skipped_and_named():
    decision = route(LiveView(loads={"houston": load(open=False, at=MONDAY_23)}), at=MONDAY_23)
    assert summary(decision) == [("austin", "overflow")]
    assert ("beaumont", "closed") in [(s.center, s.why) for s in decision.skipped]


def test_language_and_tty_needs_pass_over_centers_that_cannot_serve_them():
    spanish = route(LiveView(loads={"houston": load(waiting=25, wait=300)}), need=Need(language="es-MX"))
    assert summary(spanish) == [("beaumont", "overflow"), ("houston", "home_after_overflow")]
    assert ("austin", "language") in [(s.center, s.why) for s in spanish.skipped]
    tty = route(LiveView(loads={"beaumont": load()}), county="48245", need=Need(tty=True))
    assert summary(tty) == [("houston", "overflow")]
    assert ("beaumont", "tty") in [(s.center, s.why) for s in tty.skipped]


def test_disaster_only_agreements_sleep_until_their_county_is_under_an_incident():
    closed = LiveView(loads={"houston": load(open=False)})
    assert "dallas" not in [t.center for t in route(closed).targets]
    active = LiveView(loads={"houston": load(open=False)}, disaster_counties=frozenset({"48201"}))
    assert [t.center for t in route(active).targets] == ["beaumont", "austin", "dallas"]


def test_an_agreement_over_its_hourly_cap_is_skipped():
    agreements = [agreement(1, "houston", "beaumont", 1, triggers={"always": True}, cap=100), *AGREEMENTS[1:]]
    view = LiveView(loads={"houston": load()}, overflowed_last_hour={("houston", "beaumont"): 100})
    decision = route(view, agreements=agreements)
    assert ("beaumont", "over_cap") in [(s.center, s.why) for s in decision.skipped]
    assert summary(decision) == [("houston", "home_after_overflow")]


def test_agreement_limits_on_counties_languages_and_dates():
    houston = center("houston", ["48201", "48157"])
    limited = [agreement(1, "houston", "austin", 1, triggers={"always": True}, counties=["48157"]),
               agreement(2, "houston", "beaumont", 2, triggers={"always": True}, languages=["es"]),
               agreement(3, "houston", "dallas", 3, triggers={"always": True},
                         valid_to=MONDAY_10 - timedelta(days=1))]
    network = [houston, *NETWORK[1:]]
    assert [t.center for t in route(centers=network, agreements=limited).targets] == ["houston"]
    assert [t.center for t in route(centers=network, agreements=limited, county="48157").targets] == \
        ["austin", "houston"]
    # This Houston speaks only English: the Spanish-speaking caller goes to the partner, and Houston does not follow.
    assert [t.center for t in route(centers=network, agreements=limited, need=Need("es")).targets] == ["beaumont"]


def test_stale_status_counts_by_policy_and_is_reported():
    old = Load(30, 500, 0, 5, None, MONDAY_10 - timedelta(hours=1))
    unknown = route(LiveView(loads={"houston": old}, policy=StalePolicy.UNKNOWN))
    assert summary(unknown) == [("beaumont", "overflow"), ("austin", "overflow"), ("houston", "home_after_overflow")]
    assert unknown.targets[0].triggers == ["status_unknown"] and "houston" in unknown.stale
    normal = route(LiveView(loads={"houston": old}, policy=StalePolicy.NORMAL))
    assert summary(normal) == [("houston", "home")] and normal.stale == ["houston"]
    never_reported = route(LiveView(policy=StalePolicy.UNKNOWN))
    assert summary(never_reported) == [("houston", "home")] and never_reported.stale == []


def test_named_counties_beat_drawn_areas_then_slugs_break_ties():
    centers = [center("zeta", ["48201"]), center("alpha", area_counties=["48201"]), center("beta", ["48201"])]
    assert route(centers=centers, agreements=[]).home == "beta"
    assert route(centers=centers[1:2], agreements=[]).basis == "area"
    by_zip = [*centers, center("galveston", zips=["77002"])]
    assert route(centers=by_zip, agreements=[], zip="77002").home == "galveston"


def test_a_cycle_of_agreements_never_loops_and_a_center_appears_once():
    centers = [center("a", ["48201"]), center("b", ["48245"]), center("c", ["48453"])]
    cycle = [agreement(1, "a", "b", 1, triggers={"always": True}), agreement(2, "b", "a", 1, triggers={"always": True}),
             agreement(3, "a", "c", 2, triggers={"always": True}), agreement(4, "c", "a", 1, triggers={"always": True}),
             agreement(5, "a", "b", 3, triggers={"always": True})]
    decision = route(centers=centers, agreements=cycle)
    assert summary(decision) == [("b", "overflow"), ("c", "overflow"), ("a", "home_after_overflow")]


def test_the_fallback_comes_last_and_takes_uncovered_places():
    centers = [*NETWORK, center("national", ["11001"])]
    decision = route(LiveView(fallback="national"), centers=centers)
    assert summary(decision) == [("houston", "home"), ("national", "fallback")]
    nowhere = route(LiveView(fallback="national"), centers=centers, county="36061")
    assert nowhere.home is None and summary(nowhere) == [("national", "fallback")]


def test_closures_close_a_center_for_the_day_in_its_own_time_zone():
    houston = center("houston", ["48201"], closures=["2026-11-30"])
    decision = route(centers=[houston, *NETWORK[1:]], at=MONDAY_10)
    assert ("houston", "closed") in [(s.center, s.why) for s in decision.skipped]
    tuesday = route(centers=[houston, *NETWORK[1:]], at=MONDAY_10 + timedelta(days=1))
    assert summary(tuesday) == [("houston", "home")]
