"""The brief's drawings: vector SVG with text as text, nothing executable, bounded in size, the same each time."""

from __future__ import annotations

from geo.counties import counties_by_fips
from surge.briefs import charts

WORDS = {"offered": "Offered", "answered": "Answered", "abandoned": "Abandoned", "calls": "Calls",
         "title": "Calls by hour", "scale": "Needs per 10,000 residents", "none": "No needs logged"}
HOURS = [{"hour": "2026-11-20T14:00:00Z", "offered": 3, "answered": 2, "abandoned": 1},
         {"hour": "2026-11-20T15:00:00Z", "offered": 5, "answered": 5, "abandoned": 0}]


def test_calls_by_hour_is_text_bearing_svg_on_the_incidents_clock_and_none_without_calls():
    svg = charts.calls_by_hour(HOURS, timezone="America/Chicago", words=WORDS)
    assert svg.startswith("<svg") and 'aria-label="Calls by hour"' in svg
    assert "20 08:00" in svg and "20 09:00" in svg  # 14:00 UTC is 08:00 in Chicago in November
    assert "<image" not in svg and "style=" not in svg
    assert svg == charts.calls_by_hour(HOURS, timezone="America/Chicago", words=WORDS)
    assert charts.calls_by_hour([], timezone="UTC", words=WORDS) is None


def test_the_map_names_few_counties_shades_them_and_stays_small_for_a_whole_state():
    few = charts.needs_map(["48201", "48157", "48039"], {"48201": 2.0}, words=WORDS)
    assert "Harris" in few and "Brazoria" in few and "No needs logged" in few
    texas = [fips for fips in counties_by_fips() if fips.startswith("48")]
    big = charts.needs_map(texas, {"48201": 2.0}, words=WORDS)
    assert "Harris" not in big and len(big) < 150_000
    assert charts.needs_map(["99999", "bad"], {}, words=WORDS) is None


def test_a_map_of_every_county_stays_bounded():
    every = list(counties_by_fips())
    svg = charts.needs_map(every + ["48201"] * 10, {"48201": 1.0}, words=WORDS)
    assert svg.count("<path") < 8_000 and len(svg) < 600_000


def test_a_week_of_hours_is_drawn_as_three_stepped_lines_not_hundreds_of_bars():
    week = [{"hour": f"2026-11-{1 + n // 24:02d}T{n % 24:02d}:00:00Z", "offered": n % 7 + 3, "answered": n % 5,
             "abandoned": n % 2} for n in range(168)]
    svg = charts.calls_by_hour(week, timezone="UTC", words=WORDS)
    few = charts.calls_by_hour(week[:24], timezone="UTC", words=WORDS)
    assert svg.count("<path") < few.count("<path") < 24 * 3 + 60  # bars: one path each, for a day
    assert svg.count("<path") < 40 and "Offered" in svg and "Abandoned" in svg


def test_the_same_inputs_give_back_the_drawing_already_made():
    first = charts.needs_map(["48201", "48157"], {"48201": 3.0}, words=WORDS)
    again = charts.needs_map(["48201", "48157"], {"48201": 3.0}, words=WORDS)
    other = charts.needs_map(["48201", "48157"], {"48201": 4.0}, words=WORDS)
    assert again is first and other is not first and other != first
