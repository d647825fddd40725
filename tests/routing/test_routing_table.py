"""The routing table's order (the engine's, without live status) and the table, pure and on the real database."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from geo.zips import shares_by_zip
from surge.centers.models import Agreement, Center
from surge.kernel.db import run_in_transaction
from surge.kernel.errors import ValidationFailed
from surge.routing.plan import build_plan
from surge.routing.table import routing_table, schedule_order, scheduled_table
from tests.conftest import TEST_ACTOR
from tests.routing.conftest import DAY, NIGHT

WEEKDAYS = {day: [["08:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def center(slug, counties=(), *, area=(), zips=(), hours="24/7", closures=(), uri=None, tz="America/Chicago"):
    return Center(slug=slug, name=slug, timezone=tz, hours=hours, closures=list(closures),
                  counties=list(counties), area_counties=list(area), zips=list(zips), languages=["en"],
                  tty=False, sip_uri=uri, active=True)


def network(centers, agreements=()):
    return build_plan(centers, [Agreement(id=n, **fields) for n, fields in enumerate(agreements, start=1)])


def agreement(frm, to, priority=1, **fields):
    fields = {"counties": [], "languages": [], "triggers": {}, "disaster_only": False, **fields}
    fields["counties"], fields["languages"] = list(fields["counties"]), list(fields["languages"])
    return {"from_center": frm, "to_center": to, "priority": priority, **fields}


def static_order(plan, *, at, national_fallback=None):
    return schedule_order(plan, at=at, national_fallback=national_fallback)


# --- the table's order -------------------------------------------------------------------------------------


def test_the_home_is_the_named_county_before_the_drawn_area_and_the_zip_before_both():
    net = network([center("b-area", area=["48201"]), center("c-county", ["48201"]), center("a-county", ["48201"]),
                   center("z-zip", zips=["77002"])])
    order = static_order(net, at=DAY)
    assert order("48201", None) == ["a-county"]  # named counties beat the area; ties by slug
    assert order("48201", "77002") == ["z-zip"]
    assert order("48201", "77003") == ["a-county"]
    assert net.homes("48201", "77002") == ("z-zip", "a-county", "c-county", "b-area")
    only_area = network([center("b-area", area=["48201"])])
    assert static_order(only_area, at=DAY)("48201", None) == ["b-area"]


def test_schedule_triggers_send_calls_to_open_partners_in_priority_order():
    net = network(
        [center("home", ["48201"], hours=WEEKDAYS), center("night", ["48001"]),
         center("closed-too", ["48003"], hours=WEEKDAYS), center("always", ["48005"]),
         center("loaded", ["48007"])],
        [agreement("home", "night", 2, triggers={"after_hours": True}),
         agreement("home", "closed-too", 1, triggers={"after_hours": True}),
         agreement("home", "always", 3, triggers={"always": True}),
         agreement("home", "loaded", 1, triggers={"calls_waiting": 1, "no_agents": True})])
    # Open: the "always" trigger fires, so its partner comes first and the home follows; load triggers
    # never fire in a table.
    assert static_order(net, at=DAY)("48201", None) == ["always", "home"]
    # Closed: every agreement is tried in priority order; the closed partner is skipped; the home comes last.
    assert static_order(net, at=NIGHT)("48201", None) == ["loaded", "night", "always", "home"]


def test_disaster_only_languages_validity_and_county_limits_are_respected():
    at = NIGHT
    net = network(
        [center("home", ["48201", "48157"], hours=WEEKDAYS), *(center(s, ["48001"]) for s in "abcdef")],
        [agreement("home", "a", 1, triggers={"always": True}, disaster_only=True),
         agreement("home", "b", 2, triggers={"always": True}, languages=("es",)),
         agreement("home", "c", 3, triggers={"always": True}, valid_from=at + timedelta(hours=1)),
         agreement("home", "d", 4, triggers={"always": True}, valid_to=at),
         agreement("home", "e", 5, triggers={"always": True}, counties=frozenset({"48157"})),
         agreement("home", "f", 6, triggers={"after_hours": True}, valid_from=at - timedelta(days=1),
                   valid_to=at + timedelta(days=1))])
    order = static_order(net, at=at)
    assert order("48201", None) == ["f", "home"]
    assert order("48157", None) == ["e", "f", "home"]


def test_a_closure_fires_closed_and_the_national_fallback_comes_last():
    christmas = datetime(2026, 12, 25, 16, 0, tzinfo=timezone.utc)  # a Friday, 10:00 in Texas
    net = network([center("home", ["48355"], hours=WEEKDAYS, closures=["2026-12-25"]), center("partner", ["48029"]),
                   center("national", ["11001"])],
                  [agreement("home", "partner", triggers={"closed": True})])
    assert static_order(net, at=DAY)("48355", None) == ["home"]
    assert static_order(net, at=christmas, national_fallback="national")("48355", None) == [
        "partner", "home", "national"]
    assert static_order(net, at=DAY, national_fallback="national")("06037", None) == ["national"]
    assert static_order(net, at=DAY, national_fallback="national")("11001", None) == ["national"]
    assert static_order(net, at=DAY, national_fallback="gone")("06037", None) == []


# --- the table on the database -----------------------------------------------------------------------------


def _table(engine, **kwargs):
    kwargs.setdefault("national_fallback", None)
    return run_in_transaction(engine, scheduled_table, actor=TEST_ACTOR, **kwargs)


def _row(table, zip_code):
    return next(row for row in table.rows if row.zip == zip_code)


def test_the_demo_table_by_day_and_by_night(engine, demo_network):
    day, night = _table(engine, state="TX", at=DAY), _table(engine, state="48", at=NIGHT)
    tx = sorted(z for z, shares in shares_by_zip().items() if shares[0].county_fips.startswith("48"))
    assert [row.zip for row in day.rows] == tx and day.state == night.state == "TX"
    assert _row(day, "77002").targets == _row(night, "77002").targets == ["houston-211"]
    assert _row(day, "77701").targets == ["beaumont-211"]
    assert _row(night, "77701").targets == ["houston-211", "beaumont-211"]  # after hours, to the 24/7 partner
    assert _row(night, "78201").targets == ["austin-211", "san-antonio-211"]
    assert _row(night, "78401").targets == ["corpus-christi-211"]  # its partner is closed too
    assert _row(day, "79901").targets == []  # El Paso: no demo center
    louisiana = _table(engine, state="LA", at=NIGHT)
    assert _row(louisiana, "70601").targets == ["new-orleans-211", "lake-charles-211"]
    assert night.sip_uris["houston-211"] == "sip:queue@houston-211.demo.invalid"


def test_every_zip_routes_by_its_primary_county(engine, make_center):
    spanning = next(z for z, shares in sorted(shares_by_zip().items())
                    if len(shares) > 1 and shares[0].county_fips[:2] == shares[1].county_fips[:2] == "48")
    primary, other = (share.county_fips for share in shares_by_zip()[spanning][:2])
    make_center("primary-211", counties=[primary])
    make_center("other-211", counties=[other])
    table = _table(engine, state="TX", at=DAY)
    assert _row(table, spanning).targets == ["primary-211"]
    assert all(row.county_fips == shares_by_zip()[row.zip][0].county_fips for row in table.rows)


def test_a_center_covering_a_zip_by_code_takes_it_and_only_it(engine, make_center):
    make_center("houston-211", counties=["48201"])
    make_center("downtown-211", counties=[], zips=["77002"])
    table = _table(engine, state="TX", at=DAY)
    assert _row(table, "77002").targets == ["downtown-211"]
    assert _row(table, "77003").targets == ["houston-211"]


def test_order_is_asked_once_per_county_and_once_per_named_zip(engine, make_center):
    make_center("downtown-211", counties=["48201"], zips=["77002", "77003"])
    asked = []

    def order(county_fips, zip_code):
        asked.append((county_fips, zip_code))
        return ["x"]

    rows = run_in_transaction(engine, routing_table, state="TX", at=DAY, order=order)
    assert sorted(a for a in asked if a[1]) == [("48201", "77002"), ("48201", "77003")]
    counties = [county for county, zip_code in asked if zip_code is None]
    assert len(counties) == len(set(counties)) == len({row.county_fips for row in rows})


def test_bad_state_and_naive_times_are_refused(engine):
    for state in ("ZZ", "99", "Texas"):
        with pytest.raises(ValidationFailed) as failed:
            _table(engine, state=state, at=DAY)
        assert "state" in failed.value.fields
    with pytest.raises(ValidationFailed) as failed:
        _table(engine, state="TX", at=datetime(2026, 11, 25, 9, 0))
    assert "at" in failed.value.fields


def test_the_whole_country_in_well_under_five_seconds(engine, demo_network):
    import time

    start = time.perf_counter()
    table = _table(engine, state=None, at=DAY)
    assert len(table.rows) == len(shares_by_zip()) > 39_000
    assert time.perf_counter() - start < 5
