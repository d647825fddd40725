"""Answering "where should this call go?": the location, the cached network, one decision, one log row."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select as sa_select

from surge.access.principal import Principal
from surge.calls.counts import overflowed_since
from surge.centers import status as center_status
from surge.centers.network_revision import NetworkRevision
from surge.centers.triggers import Load, StalePolicy
from surge.kernel.clock import Clock, utcnow
from surge.kernel.db import unit_of_work
from surge.kernel.errors import NotFound
from surge.kernel.i18n import N_
from surge.incidents.lifecycle import disaster_counties
from surge.locations import lookups
from surge.routing.decide import Decision, LiveView, Need, decide
from surge.routing.decision_log import DecisionWriter
from surge.routing.models import RouteIn
from surge.routing.plan import Plan, load_plan

HOUR = timedelta(hours=1)
MAX_REUSED_DECISIONS = 20_000


@dataclass(frozen=True)
class RoutingPolicy:
    stale_after: timedelta
    policy: StalePolicy
    fallback: str | None


class NetworkCache:
    """This process's copy of the plan and the live view, refreshed at most every `ttl` seconds.

    Every route call would otherwise cost three queries; here it costs none, and a change made in another
    process shows within `ttl`. A change made through this process calls `invalidate()` and shows at once.
    """

    def __init__(self, engine, policy: RoutingPolicy, *, ttl: float = 1.0, clock: Clock = utcnow):
        self._engine = engine
        self._policy = policy
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._plan = Plan(revision=-1)
        self._view: LiveView | None = None
        self._loaded_at = float("-inf")
        # Decisions for "now", reused until the next refresh: within a second the plan, the loads and
        # the hours give the same answer, and most calls come from a few places.
        self.decisions: dict[tuple, Decision] = {}

    def invalidate(self) -> None:
        self._loaded_at = float("-inf")

    def is_fresh(self) -> bool:
        return self._view is not None and time.monotonic() - self._loaded_at <= self._ttl

    def current(self) -> tuple[Plan, LiveView]:
        if not self.is_fresh():
            with self._lock:
                if not self.is_fresh():
                    self._refresh()
        return self._plan, self._view

    def _refresh(self) -> None:
        now = self._clock()
        with unit_of_work(self._engine) as session:
            revision = session.exec(sa_select(NetworkRevision.revision)).scalar() or 0
            if revision != self._plan.revision:
                self._plan = load_plan(session, revision)
            loads = {row.center_slug: Load(row.calls_waiting, row.longest_wait_s, row.agents_available,
                                           row.agents_staffed, row.open, row.reported_at)
                     for row in center_status.latest(session)}
            self._view = LiveView(loads=loads, overflowed_last_hour=overflowed_since(session, now - HOUR),
                                  disaster_counties=disaster_counties(session),
                                  stale_after=self._policy.stale_after, policy=self._policy.policy,
                                  fallback=self._policy.fallback)
            self.decisions = {}
        self._loaded_at = time.monotonic()


def _answer(decision: Decision, location: dict, at: datetime, policy: StalePolicy) -> dict:
    """The answer as JSON values, in the shape of `RouteOut` (which documents it; a test holds the two together).

    Built as plain values rather than models: this runs for every call a phone system routes.
    """
    return {"location": location, "home": decision.home, "home_basis": decision.basis, "at": at.isoformat(),
            **decision.as_json, "status": {"stale": decision.stale, "stale_policy": policy.value},
            "decision_id": os.urandom(16).hex()}


def route(query: RouteIn, *, actor: Principal, cache: NetworkCache, log: DecisionWriter, now: datetime) -> dict:
    """The ordered targets for a caller. Any signed-in caller may ask (phone systems above all)."""
    where = lookups.locate(query)  # a RouteIn is a LocateIn: one kind of location, already checked
    location = {"county_fips": where.county_fips, "county": where.county, "state": where.state, "zip": query.zip}
    at = query.at or now
    plan, view = cache.current()
    zip_code = query.zip if query.zip in plan.by_zip else None  # other ZIP codes route as their county does
    need = Need(query.language, query.tty)
    if query.at is not None:
        decision = decide(plan, where.county_fips, zip_code, need, at, view)
    else:
        key = (where.county_fips, zip_code, need)
        decision = cache.decisions.get(key)
        if decision is None:
            if len(cache.decisions) >= MAX_REUSED_DECISIONS:
                cache.decisions.clear()
            decision = cache.decisions[key] = decide(plan, where.county_fips, zip_code, need, at, view)
    if not decision.targets and decision.home is None:
        raise NotFound(N_("No center covers %(county)s, %(state)s, and no national fallback is set."),
                       params={"county": where.county, "state": where.state},
                       fields={"location": N_("Not covered by any center.")})
    answer = _answer(decision, location, at, view.policy)
    log.add({"id": answer["decision_id"], "decided_at": now, "at": at, "county_fips": where.county_fips,
             "zip": query.zip, "language": query.language, "tty": query.tty,
             **decision.as_logged,
             "stale": decision.stale, "actor": actor.actor[:400]})
    return answer
