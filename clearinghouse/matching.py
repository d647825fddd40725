"""Which linked clearinghouses a volunteer or a donated item should be referred to, best first.

Pure: plain frozen dataclasses in and out, no database. The caller builds one `Place` per
clearinghouse linked to the incident (its service area, what its protocol covers, its needs list
and how much room it has now) and one `Seeker` per volunteer or item.

A place is a candidate when all of these hold:
- it accepts one of the seeker's codes, its protocol covers that code, and its needs list does
  not say `not_needed` or `full` for it;
- the seeker is within min(their travel distance, the place's radius), or lives in one of the
  place's counties (a service area is a promise, whatever the miles say);
- it has room (`capacity_left` None or above 0);
- it shares a language with the seeker, when language matters.

Order: a code the place lists as `needed` first, then the nearest (unknown distance last), then
the slug, so that equal places always come out in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from geo.distance import miles_between

NEEDED = "needed"
EXCLUDED = frozenset({"not_needed", "full"})  # kept on file by the caller, never referred

# How many places one volunteer or one item is referred to; settings may override either.
REFER_VOLUNTEERS = 2
REFER_ITEMS = 1

Kind = Literal["volunteer", "item"]


@dataclass(frozen=True, slots=True)
class Place:
    slug: str
    lat: float | None
    lon: float | None
    radius_miles: float
    counties: frozenset[str]
    accepts: frozenset[str]  # skills and donation categories
    covers: frozenset[str] | None = None  # what its protocol covers; None: all it accepts
    needs: Mapping[str, str] = field(default_factory=dict)  # code -> needed | not_needed | full
    capacity_left: int | None = None  # None: no limit
    languages: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Seeker:
    kind: Kind
    codes: tuple[str, ...]  # a volunteer's skills, or an item's one category
    lat: float | None = None
    lon: float | None = None
    county: str | None = None
    travel_miles: float | None = None  # None: no limit of their own (items)
    languages: frozenset[str] = frozenset()
    language_matters: bool = False

    def __post_init__(self) -> None:
        if self.kind not in ("volunteer", "item"):
            raise ValueError(f"kind must be volunteer or item, not {self.kind!r}")
        if self.kind == "item" and len(self.codes) != 1:
            raise ValueError("an item has exactly one category code")


@dataclass(frozen=True, slots=True)
class Match:
    slug: str
    distance_miles: float | None
    code: str  # the seeker's code the place takes: a needed one when there is one
    needed: bool  # the place lists that code as needed


def _code_for(seeker: Seeker, place: Place) -> tuple[str, bool] | None:
    """The seeker's first code the place lists as needed, else the first it takes unlisted."""
    fallback = None
    for code in seeker.codes:
        if code not in place.accepts or (place.covers is not None and code not in place.covers):
            continue
        status = place.needs.get(code)
        if status == NEEDED:
            return code, True
        if fallback is None and status not in EXCLUDED:
            fallback = code, False
    return fallback


def _match(seeker: Seeker, place: Place) -> Match | None:
    # Cheapest tests first: most places fail on room, language or code before any trigonometry.
    if place.capacity_left is not None and place.capacity_left <= 0:
        return None
    if seeker.language_matters and seeker.languages.isdisjoint(place.languages):
        return None
    found = _code_for(seeker, place)
    if found is None:
        return None
    distance = None
    if seeker.lat is not None and seeker.lon is not None and place.lat is not None and place.lon is not None:
        distance = miles_between(seeker.lat, seeker.lon, place.lat, place.lon)
    if seeker.county is None or seeker.county not in place.counties:
        limit = place.radius_miles if seeker.travel_miles is None else min(seeker.travel_miles, place.radius_miles)
        if distance is None or distance > limit:
            return None
    return Match(place.slug, distance, found[0], found[1])


def _rank(match: Match) -> tuple:
    distance = match.distance_miles
    return (not match.needed, distance is None, 0.0 if distance is None else distance, match.slug)


def candidates(seeker: Seeker, places: Iterable[Place]) -> list[Match]:
    """Every place that may take the seeker, best first."""
    found = [match for place in places if (match := _match(seeker, place)) is not None]
    found.sort(key=_rank)
    return found


def top(seeker: Seeker, places: Iterable[Place], n: int) -> list[Match]:
    """The best n places for the seeker (fewer when fewer qualify)."""
    return candidates(seeker, places)[:max(n, 0)]


def take(found: Iterable[Match], n: int, room: dict[str, int], exclude: frozenset[str] = frozenset()) -> list[Match]:
    """The first n of `found` (best first, as `candidates` answers) outside `exclude` with room, counting each one
    taken down in `room` (places left by slug; a slug not in it has no limit). For referring seekers one after
    another against the same day's counts, as a re-match of many does."""
    chosen: list[Match] = []
    for match in found:
        if len(chosen) == n:
            break
        if match.slug not in exclude and room.get(match.slug, 1) > 0:
            chosen.append(match)
    for match in chosen:
        if match.slug in room:
            room[match.slug] -= 1
    return chosen


def refer_count(kind: Kind, settings: Any = None) -> int:
    """How many places to refer to: `settings.refer_volunteers` / `settings.refer_items` when the
    settings carry them, else the module's defaults."""
    if kind == "volunteer":
        return getattr(settings, "refer_volunteers", REFER_VOLUNTEERS)
    if kind == "item":
        return getattr(settings, "refer_items", REFER_ITEMS)
    raise ValueError(f"kind must be volunteer or item, not {kind!r}")
