"""Routing tables: one row per ZIP code, with the centers that should take its calls, primary first.

A ZIP code that spans counties routes by its primary county (the largest share of residences). The order is
worked out once per county and shared by the county's ZIP codes; only a ZIP code that some center names in
its `zips` is worked out on its own. The order is the routing engine's own (`surge.routing.decide`) with no
live status: hours, closures and the schedule triggers (`after_hours`, `closed`, `always`) count, load
triggers cannot fire, disaster-only and language-limited agreements stay out (a table serves any caller).
A home center passed over still comes last before the fallback, so that every covered ZIP code names
somewhere to ring.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Callable, NamedTuple

from sqlmodel import Session, select

from geo.states import STATES, State
from geo.zips import shares_by_zip
from surge.access import permissions
from surge.access.principal import Principal
from surge.centers.models import Center
from surge.centers.permissions import READ_NETWORK
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_
from surge.centers.triggers import StalePolicy
from surge.routing.decide import LiveView, Need, decide
from surge.routing.plan import Plan, load_plan

Order = Callable[[str, "str | None"], list[str]]

_BY_CODE = {state.code: state for state in STATES.values()}


class TableRow(NamedTuple):
    zip: str
    county_fips: str
    targets: list[str]  # center slugs, primary first; empty when no center takes the ZIP code


@dataclass(frozen=True)
class RoutingTable:
    """A table with what the phone-system formats need besides it: each named center's SIP URI."""

    state: str | None  # USPS code, None for the whole country
    at: datetime
    rows: list[TableRow]
    sip_uris: dict[str, str | None]

    @property
    def width(self) -> int:
        """Target columns of the widest row (at least one, for the primary)."""
        return max((len(row.targets) for row in self.rows), default=0) or 1


def parse_state(text: str) -> State:
    """A state or territory from its USPS code ("TX", any case) or its two-digit FIPS code ("48")."""
    value = text.strip()
    found = STATES.get(value) if value.isdigit() else _BY_CODE.get(value.upper())
    if found is None:
        raise ValidationFailed(N_("%(state)s is not a US state or territory."), params={"state": value[:10]},
                               fields={"state": N_("Use a two-letter state code such as TX, or its two-digit "
                                                   "FIPS code such as 48.")})
    return found


EARLIEST_YEAR, LATEST_YEAR = 1900, 2199  # schedules are wall-clock times: keep far clear of datetime's limits


def require_aware(at: datetime) -> datetime:
    """`at` as given, if it carries its UTC offset and falls in a sensible range of years (422 otherwise)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValidationFailed(N_("Give the time with its UTC offset, for example 2026-06-01T00:00:00Z."),
                               fields={"at": N_("Give the time with its UTC offset, for example "
                                                "2026-06-01T00:00:00Z.")})
    if not EARLIEST_YEAR <= at.year <= LATEST_YEAR:
        raise ValidationFailed(N_("Give a time between the years 1900 and 2199."),
                               fields={"at": N_("Give a time between the years 1900 and 2199.")})
    return at


@cache
def zip_primary_counties() -> tuple[tuple[str, str], ...]:
    """Every ZIP code in the crosswalk with its primary county, in ZIP order (read once per process)."""
    return tuple((zip_code, shares[0].county_fips) for zip_code, shares in sorted(shares_by_zip().items()))


def routing_table(session: Session, *, state: str | None, at: datetime,
                  order: Order) -> list[TableRow]:
    """One row per ZIP code of `state` (a USPS or FIPS code; None: every state), in ZIP order.

    `order(county_fips, zip_or_None)` gives the ordered center slugs; it is asked once per county, and once
    more for each ZIP code that an active center names in its `zips`. `at` must carry its UTC offset.
    """
    require_aware(at)
    prefix = parse_state(state).fips if state else None
    named = {zip_code for zips in session.exec(select(Center.zips).where(Center.active)).all()
             for zip_code in zips}
    by_county: dict[str, list[str]] = {}
    rows: list[TableRow] = []
    for zip_code, county_fips in zip_primary_counties():
        if prefix is not None and not county_fips.startswith(prefix):
            continue
        if zip_code in named:
            targets = order(county_fips, zip_code)
        else:
            targets = by_county.get(county_fips)
            if targets is None:
                targets = by_county[county_fips] = order(county_fips, None)
        rows.append(TableRow(zip_code, county_fips, list(targets)))
    return rows


def schedule_order(plan: Plan, *, at: datetime, national_fallback: str | None = None) -> Order:
    """`order(county_fips, zip_or_None)` -> center slugs, primary first: the engine's decision without live status."""
    view = LiveView(policy=StalePolicy.NORMAL, fallback=national_fallback or None)

    def order(county_fips: str, zip_code: str | None = None) -> list[str]:
        decision = decide(plan, county_fips, zip_code, Need(), at, view)
        targets = [t.center for t in decision.targets if t.reason != "fallback"]
        if decision.home is not None and decision.home not in targets:
            targets.append(decision.home)
        targets += [t.center for t in decision.targets if t.reason == "fallback" and t.center not in targets]
        return targets

    return order


def scheduled_table(session: Session, *, state: str | None, at: datetime, national_fallback: str | None,
                    actor: Principal) -> RoutingTable:
    """The routing table by schedules alone (live status ignored), with the SIP URIs of its centers."""
    permissions.require(actor, READ_NETWORK)
    require_aware(at)
    code = parse_state(state).code if state else None
    plan = load_plan(session)
    rows = routing_table(session, state=state, at=at, order=schedule_order(plan, at=at,
                                                                           national_fallback=national_fallback))
    named = {slug for row in rows for slug in row.targets}
    return RoutingTable(state=code, at=at, rows=rows,
                        sip_uris={slug: plan.centers[slug].sip_uri for slug in sorted(named)})
