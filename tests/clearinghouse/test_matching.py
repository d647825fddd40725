"""Matching volunteers and items to clearinghouses: each rule alone, the order, and the defaults."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest
from geopy.distance import great_circle

from clearinghouse import matching
from clearinghouse.matching import Match, Place, Seeker, candidates, refer_count, top

# Houston, and points due north of it at known distances (one degree of latitude is ~69.1 miles).
HOUSTON = (29.7604, -95.3698)
HARRIS = "48201"


def north(miles: float) -> tuple[float, float]:
    return HOUSTON[0] + miles / 69.093, HOUSTON[1]


def place(slug: str = "vrc", *, at: tuple[float, float] | None = HOUSTON, **changes) -> Place:
    base = Place(slug=slug, lat=at[0] if at else None, lon=at[1] if at else None, radius_miles=25,
                 counties=frozenset({HARRIS}), accepts=frozenset({"muck_out", "chainsaw", "water"}),
                 covers=None, needs={}, capacity_left=None, languages=frozenset({"en", "es"}))
    return replace(base, **changes)


def volunteer(**changes) -> Seeker:
    base = Seeker(kind="volunteer", codes=("muck_out",), lat=HOUSTON[0], lon=HOUSTON[1], county=HARRIS,
                  travel_miles=50, languages=frozenset({"en"}), language_matters=False)
    return replace(base, **changes)


def slugs(matches: list[Match]) -> list[str]:
    return [m.slug for m in matches]


def test_a_place_that_meets_every_rule_is_a_candidate():
    assert candidates(volunteer(), [place()]) == [Match("vrc", 0.0, "muck_out", False)]


# Each rule alone: the same seeker and place, one field changed, and the place drops out.
@pytest.mark.parametrize("changes", [
    {"accepts": frozenset({"water"})},                       # does not accept the skill
    {"covers": frozenset({"chainsaw"})},                     # accepts it, but its protocol does not cover it
    {"covers": frozenset()},                                 # a protocol that covers nothing here
    {"needs": {"muck_out": "not_needed"}},
    {"needs": {"muck_out": "full"}},
    {"capacity_left": 0},
    {"capacity_left": -1},
], ids=["accepts", "covers", "covers-nothing", "not-needed", "full", "capacity-0", "capacity-negative"])
def test_each_place_rule_alone_excludes(changes):
    assert candidates(volunteer(), [place()]) != []
    assert candidates(volunteer(), [place(**changes)]) == []


@pytest.mark.parametrize("changes", [
    {"codes": ("chainsaw_not_a_skill",)},
    {"codes": ()},
    {"county": "48157", "lat": north(30)[0], "lon": north(30)[1]},  # outside the radius and the county
    {"county": "48157", "travel_miles": 5, "lat": north(10)[0], "lon": north(10)[1]},  # beyond their own reach
    {"county": None, "lat": None, "lon": None},              # nowhere known
    {"language_matters": True, "languages": frozenset({"vi"})},
], ids=["unknown-code", "no-codes", "too-far", "beyond-travel", "no-location", "language"])
def test_each_seeker_rule_alone_excludes(changes):
    assert candidates(volunteer(), [place()]) != []
    assert candidates(volunteer(**changes), [place()]) == []


def test_needs_only_exclude_the_code_they_name():
    both = volunteer(codes=("muck_out", "chainsaw"))
    [match] = candidates(both, [place(needs={"muck_out": "full"})])
    assert (match.code, match.needed) == ("chainsaw", False)


def test_a_needed_code_is_chosen_over_an_earlier_unlisted_one():
    both = volunteer(codes=("muck_out", "chainsaw"))
    [match] = candidates(both, [place(needs={"chainsaw": "needed"})])
    assert (match.code, match.needed) == ("chainsaw", True)


def test_covers_narrows_accepts_but_never_widens_it():
    assert candidates(volunteer(), [place(covers=frozenset({"muck_out"}))]) != []
    assert candidates(volunteer(codes=("licensed_medical",)),
                      [place(covers=frozenset({"licensed_medical"}))]) == []


# The distance rule and the county rule.
def test_within_the_radius_outside_the_county_is_a_candidate():
    lat, lon = north(20)
    [match] = candidates(volunteer(county="48339", lat=lat, lon=lon), [place()])
    assert match.distance_miles == pytest.approx(20, abs=0.05)


def test_the_shorter_of_travel_and_radius_limits():
    lat, lon = north(15)
    elsewhere = volunteer(county="48339", lat=lat, lon=lon)
    assert candidates(replace(elsewhere, travel_miles=10), [place()]) == []     # they go 10, it serves 25
    assert candidates(replace(elsewhere, travel_miles=100), [place(radius_miles=10)]) == []  # the other way
    assert candidates(replace(elsewhere, travel_miles=16), [place(radius_miles=16)]) != []


def test_in_the_county_beyond_the_radius_is_a_candidate_with_its_distance():
    lat, lon = north(60)
    [match] = candidates(volunteer(lat=lat, lon=lon, travel_miles=5), [place()])
    assert match.distance_miles == pytest.approx(60, abs=0.1)


def test_in_the_county_with_no_location_is_a_candidate_of_unknown_distance():
    assert candidates(volunteer(lat=None, lon=None), [place()]) == [Match("vrc", None, "muck_out", False)]
    assert candidates(volunteer(), [place(at=None)]) == [Match("vrc", None, "muck_out", False)]


def test_an_item_has_no_travel_limit_of_its_own():
    item = Seeker(kind="item", codes=("water",), lat=north(24)[0], lon=north(24)[1], county="48339")
    assert slugs(candidates(item, [place()])) == ["vrc"]
    assert candidates(item, [place(radius_miles=20)]) == []


def test_distance_is_geopys_great_circle():
    lat, lon = 40.7128, -74.0060
    [match] = candidates(volunteer(county=None, lat=lat, lon=lon, travel_miles=None),
                         [place(radius_miles=2000)])
    assert match.distance_miles == pytest.approx(great_circle(HOUSTON, (lat, lon)).miles, rel=1e-9)


# Capacity and language.
def test_capacity_none_is_no_limit_and_one_left_is_room():
    assert candidates(volunteer(), [place(capacity_left=None)]) != []
    assert candidates(volunteer(), [place(capacity_left=1)]) != []


def test_language_counts_only_when_it_matters():
    speaks_vi = volunteer(languages=frozenset({"vi"}))
    assert candidates(speaks_vi, [place()]) != []
    assert candidates(replace(speaks_vi, language_matters=True), [place()]) == []
    assert candidates(replace(speaks_vi, language_matters=True), [place(languages=frozenset({"en", "vi"}))]) != []
    assert candidates(volunteer(language_matters=True, languages=frozenset()), [place()]) == []


# Ranking.
def test_needed_before_unlisted_before_distance():
    near_unlisted = place("a-near", at=north(2))
    far_needed = place("z-far", at=north(20), needs={"muck_out": "needed"})
    assert slugs(candidates(volunteer(), [near_unlisted, far_needed])) == ["z-far", "a-near"]


def test_nearest_first_then_unknown_distance_last():
    places = [place("c", at=None), place("b", at=north(10)), place("a", at=north(3))]
    assert slugs(candidates(volunteer(), places)) == ["a", "b", "c"]


def test_ties_are_broken_by_slug_whatever_the_input_order():
    names = ["delta", "alpha", "charlie", "bravo"]
    forward = [place(name) for name in names]
    expected = sorted(names)
    assert slugs(candidates(volunteer(), forward)) == expected
    assert slugs(candidates(volunteer(), list(reversed(forward)))) == expected
    needed = [place(name, needs={"muck_out": "needed"}) for name in names]
    assert slugs(candidates(volunteer(), needed + forward[:1])) == [*expected, "delta"]


def test_top_takes_the_best_n():
    places = [place(f"p{i}", at=north(i)) for i in range(6)]
    assert slugs(top(volunteer(), places, 2)) == ["p0", "p1"]
    assert slugs(top(volunteer(), places, 10)) == [f"p{i}" for i in range(6)]
    assert top(volunteer(), places, 0) == []
    assert top(volunteer(), iter(places), 1) == candidates(volunteer(), places)[:1]


def test_a_small_table_of_places_and_seekers():
    places = [
        place("warehouse", accepts=frozenset({"water", "hygiene"}), needs={"water": "needed"}, at=north(12)),
        place("vrc-north", accepts=frozenset({"muck_out", "chainsaw"}), at=north(8), capacity_left=3),
        place("vrc-full", accepts=frozenset({"muck_out"}), at=north(1), capacity_left=0),
        place("voad", accepts=frozenset({"muck_out", "chainsaw", "water"}), covers=frozenset({"chainsaw"}),
              at=north(4), needs={"chainsaw": "needed"}),
    ]
    table = [
        (volunteer(codes=("muck_out",)), ["vrc-north"]),
        (volunteer(codes=("chainsaw",)), ["voad", "vrc-north"]),
        (volunteer(codes=("muck_out", "chainsaw")), ["voad", "vrc-north"]),
        (Seeker(kind="item", codes=("water",), lat=HOUSTON[0], lon=HOUSTON[1]), ["warehouse"]),
        (Seeker(kind="item", codes=("hygiene",), lat=HOUSTON[0], lon=HOUSTON[1]), ["warehouse"]),
        (Seeker(kind="item", codes=("bedding",), lat=HOUSTON[0], lon=HOUSTON[1]), []),
    ]
    for seeker, expected in table:
        assert slugs(candidates(seeker, places)) == expected, seeker


# Seekers and referral counts.
def test_a_seeker_is_a_volunteer_or_one_item():
    with pytest.raises(ValueError):
        Seeker(kind="donor", codes=("water",))
    with pytest.raises(ValueError):
        Seeker(kind="item", codes=("water", "bedding"))


def test_refer_count_defaults_and_overrides(monkeypatch):
    assert refer_count("volunteer") == 2
    assert refer_count("item") == 1
    assert refer_count("volunteer", SimpleNamespace(refer_volunteers=3)) == 3
    assert refer_count("item", SimpleNamespace(refer_volunteers=3)) == 1
    monkeypatch.setattr(matching, "REFER_ITEMS", 4)
    assert refer_count("item") == 4
    with pytest.raises(ValueError):
        refer_count("cash")
