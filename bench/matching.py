"""Matching 10,000 volunteers against the 50 clearinghouses of one incident: median, mean and p99
in microseconds per volunteer for `clearinghouse.matching.top(volunteer, places, 2)`.

Baseline, measured in the same run: the bare loop a careful engineer would write, the same rules in
plain order, geopy's `great_circle(...).miles` for every pair first, then a sort. The two must give
the same answer for every volunteer. Target: median ≤ 50 µs per volunteer.

    .venv/bin/python bench/matching.py
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geopy.distance import great_circle  # noqa: E402

import geo  # noqa: E402
from clearinghouse.matching import Place, Seeker, top  # noqa: E402
from clearinghouse.nearby import PlaceIndex  # noqa: E402
from clearinghouse.taxonomy import SKILL_CODES  # noqa: E402
from figures import per_call_us  # noqa: E402
from geo.distance import miles_between  # noqa: E402

TARGET_US = 50
VOLUNTEERS = 10_000
PLACES = 50
REFER = 2
CENTRE = (29.7604, -95.3698)  # Houston: the incident
REACH = 120  # miles: ZIP codes and clearinghouses within this of the centre


def region() -> list[tuple[str, str, tuple[float, float]]]:
    """(ZIP, primary county, centroid) for the incident's ZIP codes."""
    shares = geo.zips.shares_by_zip()
    return [(zip_code, shares[zip_code][0].county_fips, point)
            for zip_code, point in sorted(geo.zips.centroids_by_zip().items())
            if zip_code in shares and miles_between(*CENTRE, *point) <= REACH]


def workload(rng: random.Random) -> tuple[list[Place], list[Seeker]]:
    zips = region()
    counties = sorted({county for _, county, _ in zips})
    skills = sorted(SKILL_CODES)
    places = []
    for i in range(PLACES):
        _, county, (lat, lon) = rng.choice(zips)
        accepts = frozenset(rng.sample(skills, rng.randint(3, 10)))
        covers = None if rng.random() < 0.6 else frozenset(rng.sample(sorted(accepts), max(1, len(accepts) // 2)))
        needs = {code: rng.choice(["needed", "needed", "not_needed", "full"])
                 for code in rng.sample(sorted(accepts), rng.randint(0, len(accepts)))}
        area = frozenset({county, *rng.sample(counties, rng.randint(0, 4))})
        places.append(Place(slug=f"clearinghouse-{i:02d}", lat=lat, lon=lon, radius_miles=rng.choice([15, 25, 40, 60]),
                            counties=area, accepts=accepts, covers=covers, needs=needs,
                            capacity_left=rng.choice([None, None, 0, 5, 50]),
                            languages=frozenset(rng.sample(["en", "es", "vi", "zh"], rng.randint(1, 3)))))
    seekers = []
    for _ in range(VOLUNTEERS):
        _, county, (lat, lon) = rng.choice(zips)
        located = rng.random() < 0.95  # a few give only a county
        seekers.append(Seeker(kind="volunteer", codes=tuple(rng.sample(skills, rng.randint(1, 3))),
                              lat=lat if located else None, lon=lon if located else None, county=county,
                              travel_miles=rng.choice([10, 25, 50, 100]),
                              languages=frozenset(rng.sample(["en", "es", "vi"], rng.randint(1, 2))),
                              language_matters=rng.random() < 0.15))
    return places, seekers


def bare_loop(seeker: Seeker, places: list[Place], n: int) -> list[str]:
    """The baseline: every pair measured with geopy, then the rules one after another."""
    found = []
    for place in places:
        distance = None
        if None not in (seeker.lat, seeker.lon, place.lat, place.lon):
            distance = great_circle((seeker.lat, seeker.lon), (place.lat, place.lon)).miles
        in_reach = distance is not None and distance <= min(seeker.travel_miles or place.radius_miles,
                                                             place.radius_miles)
        if not (in_reach or seeker.county in place.counties):
            continue
        if place.capacity_left is not None and place.capacity_left <= 0:
            continue
        if seeker.language_matters and not (seeker.languages & place.languages):
            continue
        usable = [code for code in seeker.codes if code in place.accepts
                  and (place.covers is None or code in place.covers)
                  and place.needs.get(code) not in ("not_needed", "full")]
        if not usable:
            continue
        needed = any(place.needs.get(code) == "needed" for code in usable)
        found.append((not needed, distance is None, distance or 0.0, place.slug))
    found.sort()
    return [slug for *_, slug in found[:n]]


def top_nearby(seeker: Seeker, index: PlaceIndex, n: int):
    """What registration and re-matching call: only the places within reach, from the index kept with them."""
    return top(seeker, index.near(seeker), n)


def main() -> int:
    rng = random.Random(211)
    places, seekers = workload(rng)
    index = PlaceIndex(places)
    for seeker in seekers:  # the same answer, or the comparison means nothing
        assert [m.slug for m in top(seeker, places, REFER)] == bare_loop(seeker, places, REFER), seeker
        assert [m.slug for m in top_nearby(seeker, index, REFER)] == bare_loop(seeker, places, REFER), seeker
    matched = sum(bool(top(s, places, REFER)) for s in seekers)
    args = [(s, places, REFER) for s in seekers]
    baseline = per_call_us(bare_loop, args)
    ours = per_call_us(top, args)
    nearby = per_call_us(top_nearby, [(s, index, REFER) for s in seekers])
    print(f"\n{len(seekers):,} volunteers against {len(places)} clearinghouses within {REACH} miles of Houston "
          f"({matched / len(seekers):.0%} get at least one referral)")
    print(f"  matching.top(n={REFER})      {ours.show('µs')}")
    print(f"  bare loop with geopy     {baseline.show('µs')}  (baseline)")
    print(f"  with the place index     {nearby.show('µs')}")
    print(f"  faster than the baseline: {ours.ratio_to(baseline)}; with the index: {nearby.ratio_to(baseline)}")
    ok = ours.median <= TARGET_US
    print(f"  target median ≤ {TARGET_US} µs: {'met' if ok else 'MISSED'} ({ours.median:.1f} µs)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
