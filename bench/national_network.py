"""A synthetic national network for benchmarks: one 2-1-1 center per state covering all its counties,
each with three overflow agreements to the states it borders most (then alphabetically).

Hours vary so that decisions do real work: most centers are 24/7, every third one keeps weekday hours.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout, installed or not

import geo  # noqa: E402
from surge.centers.models import Agreement, Center  # noqa: E402

WEEKDAYS = {day: [["08:00", "20:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
ZONES = {"AK": "America/Anchorage", "HI": "Pacific/Honolulu", "CA": "America/Los_Angeles", "WA": "America/Los_Angeles",
         "OR": "America/Los_Angeles", "NV": "America/Los_Angeles", "AZ": "America/Phoenix", "CO": "America/Denver",
         "UT": "America/Denver", "NM": "America/Denver", "MT": "America/Denver", "WY": "America/Denver",
         "ID": "America/Boise", "NY": "America/New_York", "FL": "America/New_York", "GA": "America/New_York",
         "PR": "America/Puerto_Rico"}
TRIGGERS = [{"calls_waiting": 20, "longest_wait_s": 120}, {"after_hours": True, "closed": True},
            {"no_agents": True, "calls_waiting": 40}]


def states() -> dict[str, list[str]]:
    counties = defaultdict(list)
    for county in geo.all_counties():
        counties[county.state].append(county.fips)
    return dict(counties)


def national_centers() -> list[dict]:
    """Center input bodies (as the API takes them), one per state."""
    return [{"slug": f"{state.lower()}-211", "name": f"{state} 2-1-1", "timezone": ZONES.get(state, "America/Chicago"),
             "counties": sorted(fips), "languages": ["en", "es"], "tty": i % 2 == 0,
             "hours": WEEKDAYS if i % 3 == 2 else "24/7", "sip_uri": f"sip:queue@{state.lower()}-211.bench.invalid"}
            for i, (state, fips) in enumerate(sorted(states().items()))]


def national_agreements() -> list[dict]:
    """Agreement input bodies: three per center, to its most-bordering neighbours."""
    of_county = {county.fips: county.state for county in geo.all_counties()}
    everyone = sorted(states())
    bodies = []
    for state, fips_list in sorted(states().items()):
        borders = Counter(of_county[n] for fips in fips_list for n in geo.county(fips).neighbours
                          if n in of_county and of_county[n] != state)
        partners = [s for s, _ in borders.most_common()] + [s for s in everyone if s != state]
        chosen = list(dict.fromkeys(partners))[:3]
        for priority, (partner, triggers) in enumerate(zip(chosen, TRIGGERS), start=1):
            bodies.append({"from": f"{state.lower()}-211", "to": f"{partner.lower()}-211", "priority": priority,
                           "triggers": triggers})
    return bodies


def as_rows() -> tuple[list[Center], list[Agreement]]:
    """The same network as unsaved rows, for in-memory plans."""
    centers = [Center(slug=b["slug"], name=b["name"], timezone=b["timezone"], counties=b["counties"], zips=[],
                      area_counties=[], languages=b["languages"], tty=b["tty"], hours=b["hours"], closures=[],
                      active=True) for b in national_centers()]
    agreements = [Agreement(id=i, from_center=b["from"], to_center=b["to"], priority=b["priority"], counties=[],
                            languages=[], triggers=b["triggers"], max_calls_per_hour=None, disaster_only=False)
                  for i, b in enumerate(national_agreements(), start=1)]
    return centers, agreements


def load(session, actor) -> int:
    """Create the network through the domain code; how many centers."""
    from surge.centers import agreements, registry
    from surge.centers.models import AgreementIn, CenterIn
    from surge.kernel.validation import validate

    bodies = national_centers()
    for body in bodies:
        registry.create(session, data=validate(CenterIn, body), actor=actor)
    for body in national_agreements():
        agreements.create(session, data=validate(AgreementIn, body), actor=actor)
    return len(bodies)
