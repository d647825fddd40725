"""The coverage report: counties without a home or an overflow partner, uncovered hours, overlaps."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import geo
from surge.routing.coverage_report import build_report, hour_ranges, week_hours
from tests.routing.conftest import DAY
from tests.routing.test_routing_table import WEEKDAYS, agreement, center, network


def bearer(token):
    return {"authorization": f"Bearer {token}"}


def _report(net, fips, at=DAY):
    return build_report(net, counties=[geo.county(f) for f in fips], at=at, state=None, national_fallback=None)


def test_hour_ranges_and_the_week_in_a_zone():
    flags = [False] * 168
    flags[18:32] = [True] * 14  # Monday 18:00 to Tuesday 08:00
    flags[160:] = [True] * 8  # Sunday 16:00 to the end
    assert [r.model_dump(by_alias=True) for r in hour_ranges(flags)] == [
        {"from": "mon 18:00", "to": "tue 08:00"}, {"from": "sun 16:00", "to": "sun 24:00"}]
    hours = week_hours(ZoneInfo("America/Chicago"), DAY)
    assert hours[0] == datetime(2026, 11, 23, 0, 0, tzinfo=ZoneInfo("America/Chicago"))
    assert hours[-1].strftime("%a %H:%M") == "Sun 23:00"


def test_the_four_findings_on_plain_data():
    net = network(
        [center("harris", ["48201"], hours=WEEKDAYS), center("partner", ["48157"], hours={"sat": [["00:00", "24:00"]]}),
         center("disaster", ["48339"]), center("galveston", ["48167", "48201"], area=["48039"]),
         center("downtown", zips=["77002"]), center("drawn", area=["48039"])],
        [agreement("harris", "partner", triggers={"after_hours": True}),
         agreement("harris", "disaster", 2, triggers={"always": True}, disaster_only=True),
         agreement("partner", "harris", triggers={"closed": True}, languages=("es",))])
    report = _report(net, ["48201", "48157", "48039", "48141"])
    assert [(c.county_fips, c.zip_centers) for c in report.without_home] == [("48141", [])]
    # 48201's home is galveston (named county, the lower slug), which has no agreement of its own.
    assert [(c.county_fips, c.home) for c in report.without_overflow] == [
        ("48201", "galveston"), ("48157", "partner"), ("48039", "drawn")]
    assert [(c.county_fips, c.centers) for c in report.overlaps] == [("48201", ["galveston", "harris"]),
                                                                    ("48039", ["drawn", "galveston"])]
    # galveston is 24/7, so 48201 is never uncovered; partner (48157's home) opens only on Saturdays.
    hours = {c.county_fips: c for c in report.uncovered_hours}
    assert set(hours) == {"48157", "48141"}
    assert hours["48157"].hours == 144 and hours["48157"].timezone == "America/Chicago"
    assert [r.model_dump(by_alias=True) for r in hours["48157"].ranges] == [
        {"from": "mon 00:00", "to": "sat 00:00"}, {"from": "sun 00:00", "to": "sun 24:00"}]
    assert hours["48141"].home is None and hours["48141"].timezone == "UTC" and hours["48141"].hours == 168


def test_partners_fill_the_home_centers_closed_hours():
    net = network([center("home", ["48201"], hours=WEEKDAYS),
                   center("evenings", ["48157"], hours={d: [["18:00", "24:00"]] for d in ("mon", "tue", "wed", "thu",
                                                                                          "fri")})],
                  [agreement("home", "evenings", triggers={"calls_waiting": 5})])
    report = _report(net, ["48201"])
    assert report.without_overflow == []  # any standing agreement counts, whatever its triggers
    [county] = report.uncovered_hours
    assert [(r.from_, r.to) for r in county.ranges] == [
        ("mon 00:00", "mon 08:00"), ("tue 00:00", "tue 08:00"), ("wed 00:00", "wed 08:00"),
        ("thu 00:00", "thu 08:00"), ("fri 00:00", "fri 08:00"), ("sat 00:00", "sun 24:00")]
    assert county.hours == 5 * 8 + 48


def test_a_partner_in_another_zone_counts_in_the_home_zone():
    eastern = center("east", ["12086"], hours={d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
                     tz="America/New_York")
    net = network([center("home", ["48201"], hours={}), eastern], [agreement("home", "east", triggers={"always": True})])
    [county] = _report(net, ["48201"]).uncovered_hours
    # 09:00-17:00 in New York is 08:00-16:00 in Houston.
    assert (county.ranges[0].from_, county.ranges[0].to) == ("mon 00:00", "mon 08:00")
    assert (county.ranges[1].from_, county.ranges[1].to) == ("mon 16:00", "tue 08:00")


def test_the_demo_network_over_http(client, make_token, demo_network):
    answer = client.get("/api/v1/coverage", params={"state": "TX", "at": DAY.isoformat()},
                        headers=bearer(make_token("supervisor")))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["state"] == "TX" and body["counties"] == len([c for c in geo.all_counties() if c.state == "TX"])
    homed = {"48201", "48157", "48339", "48039", "48167", "48071", "48291", "48473", "48245", "48361", "48199",
             "48453", "48491", "48209", "48021", "48029", "48091", "48187", "48355", "48409", "48007", "48273"}
    assert {c["county_fips"] for c in body["without_home"]} == {c.fips for c in geo.all_counties()
                                                                if c.state == "TX"} - homed
    assert body["without_overflow"] == [] and body["overlaps"] == []
    # Corpus Christi's only standing partner is San Antonio (07:00-21:00 on weekdays, 09:00-17:00 on Saturday).
    nueces = next(c for c in body["uncovered_hours"] if c["county_fips"] == "48355")
    assert nueces["home"] == "corpus-christi-211" and nueces["timezone"] == "America/Chicago"
    assert nueces["ranges"][:2] == [{"from": "mon 00:00", "to": "mon 07:00"}, {"from": "mon 21:00", "to": "tue 07:00"}]
    assert nueces["ranges"][-1] == {"from": "sat 17:00", "to": "sun 24:00"}
    assert nueces["hours"] == 168 - 5 * 14 - 8
    homed_uncovered = {c["county_fips"] for c in body["uncovered_hours"] if c["home"]}
    assert homed_uncovered == {"48355", "48409", "48007", "48273"}  # the rest have a 24/7 center within reach


def test_the_whole_country_is_bounded_by_its_counties(client, make_token, make_center):
    make_center("houston-211", counties=["48201"], hours={"mon": [["08:00", "20:00"]]})
    body = client.get("/api/v1/coverage", headers=bearer(make_token("admin"))).json()
    total = len(geo.all_counties())
    assert body["state"] is None and body["counties"] == total
    assert len(body["without_home"]) == total - 1 and len(body["uncovered_hours"]) == total
    assert body["without_overflow"] == [{"county_fips": "48201", "name": "Harris", "home": "houston-211"}]


def test_the_drawn_shape_coverage_route_is_untouched(client, make_token):
    box = {"type": "Polygon", "coordinates": [[[-95.6, 29.6], [-95.1, 29.6], [-95.1, 30.0], [-95.6, 30.0],
                                                [-95.6, 29.6]]]}
    answer = client.post("/api/v1/geo/coverage", json=box, headers=bearer(make_token("admin")))
    assert answer.status_code == 200, answer.text
    assert "48201" in {c["county_fips"] for c in answer.json()["counties"]}
    assert client.get("/api/v1/geo/coverage", headers=bearer(make_token("admin", name="other"))).status_code == 405


def test_at_chooses_the_week_and_the_agreements_in_force(client, make_token, make_center, engine):
    make_center("houston-211", counties=["48201"], hours=WEEKDAYS)
    make_center("austin-211", counties=["48453"])
    admin = bearer(make_token("admin"))
    made = client.post("/api/v1/agreements", headers=admin, json={
        "from": "houston-211", "to": "austin-211", "triggers": {"after_hours": True},
        "valid_from": "2027-01-01T00:00:00Z"})
    assert made.status_code == 201, made.text
    before = client.get("/api/v1/coverage", params={"state": "TX", "at": DAY.isoformat()}, headers=admin).json()
    after = client.get("/api/v1/coverage", params={"state": "TX", "at": datetime(2027, 2, 1, tzinfo=timezone.utc)
                                                   .isoformat()}, headers=admin).json()
    assert [c["county_fips"] for c in before["without_overflow"]] == ["48201", "48453"]
    assert [c["county_fips"] for c in after["without_overflow"]] == ["48453"]
    assert "48201" in {c["county_fips"] for c in before["uncovered_hours"]}
    assert "48201" not in {c["county_fips"] for c in after["uncovered_hours"]}
