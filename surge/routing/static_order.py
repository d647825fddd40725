"""A schedule-only routing order for static tables: which centers, in order, should take a place's calls at `at`.

This is the order a routing table is built with until the routing engine takes its place; it is kept small so
that the two can be compared line by line. For a county (and a ZIP code, when some center names that ZIP code):

1. the home center (`Network.homes`: ZIP code named in `zips`, then county named in `counties`, then
   drawn area; ties by slug), if it is open at `at` by its hours and closures;
2. the targets of the home center's agreements, in priority order, when the agreement
   - is not disaster-only and is not limited to some languages (the table is for any caller),
   - is valid at `at` (`valid_from` <= at < `valid_to`) and applies to the county,
   - has a trigger that fires on the schedule alone: `always`, `after_hours` (the home's weekly schedule
     says closed) or `closed` (a closure covers `at`); load triggers never fire here, since a table cannot
     know the load,
   and the target is open at `at`;
3. the home center, if step 1 skipped it (a closed home still comes before nobody);
4. the national fallback, if one is set and it is an active center.

A center appears at most once. A place no center covers gets only the fallback (or nothing).
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from surge.centers.triggers import Condition, StalePolicy, firing
from surge.routing.snapshot import Network

Order = Callable[[str, "str | None"], list[str]]


def static_order(network: Network, *, at: datetime, national_fallback: str | None = None) -> Order:
    """`order(county_fips, zip_or_None)` -> center slugs, primary first, by the rule in this module's notes."""
    fallback = national_fallback if national_fallback in network.centers else None

    def order(county_fips: str, zip_code: str | None = None) -> list[str]:
        targets: list[str] = []
        home = network.home(county_fips, zip_code)
        if home is not None:
            if home.hours.open_at(at):
                targets.append(home.slug)
            condition = Condition(scheduled_open=home.hours.scheduled_open(at), closure=home.hours.closed_for(at),
                                  load=None, stale=False)
            for agreement in network.agreements.get(home.slug, ()):
                if not (agreement.standing and agreement.valid_at(at) and agreement.applies_to(county_fips)):
                    continue
                if not firing(agreement.triggers, condition, StalePolicy.NORMAL):
                    continue
                target = network.centers[agreement.to_center]
                if target.slug not in targets and target.hours.open_at(at):
                    targets.append(target.slug)
            if home.slug not in targets:
                targets.append(home.slug)
        if fallback and fallback not in targets:
            targets.append(fallback)
        return targets

    return order
