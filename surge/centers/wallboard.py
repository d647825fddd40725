"""The wallboard: every center's load, open state, status age and which overflow triggers fire right now.

`condition_of` builds a center's trigger `Condition` with `triggers.condition_at`, the rule routing uses,
so the two agree on what fires. `build` is pure (rows in, read model out); `read`
fetches the rows and checks the caller may see the network.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.centers.hours import compile_hours
from surge.centers.models import Agreement, Center, CenterStatus
from surge.centers.permissions import READ_NETWORK
from surge.centers.triggers import Condition, Load, StalePolicy, condition_at, firing

Freshness = Literal["fresh", "stale", "missing"]
# Why a center counts as open or closed, most decisive first (the page words each one).
OpenReason = Literal["closure", "reported_closed", "reported_open", "scheduled_open", "after_hours"]
Inactive = Literal["disaster_only", "not_yet_valid", "expired"]


class CallWindow(BaseModel):
    """A center's calls over one window (see the README's call metrics for each definition)."""

    offered: int
    answered: int
    abandon_rate: float | None
    asa_s: float | None


class CallFigures(BaseModel):
    """Calls today (since midnight in the center's time zone) and in the last hour, from the call metrics."""

    today: CallWindow | None = None
    last_hour: CallWindow | None = None


class LoadOut(BaseModel):
    calls_waiting: int
    longest_wait_s: int
    agents_available: int
    agents_staffed: int
    open: bool | None


class AgreementState(BaseModel):
    id: int
    to: str
    to_name: str
    priority: int
    triggers: dict
    active: bool
    inactive_reason: Inactive | None = None
    firing: list[str] = Field(description="names of the triggers that fire now (status_unknown: load unknown)")


class CenterBoard(BaseModel):
    slug: str
    name: str
    open: bool
    open_reason: OpenReason
    status: Freshness
    status_age_s: int | None = Field(description="seconds since the last report; None when never reported")
    reported_at: datetime | None
    load: LoadOut | None = Field(description="the last report, fresh or not")
    overflowing: bool = Field(description="at least one active agreement's trigger fires")
    agreements: list[AgreementState]
    calls: CallFigures | None = Field(default=None, description="calls today and in the last hour (when known)")


class Totals(BaseModel):
    centers: int
    open: int
    closed: int
    overflowing: int
    stale: int = Field(description="centers whose status is stale or missing")


class WallboardOut(BaseModel):
    at: datetime
    stale_after_s: int
    stale_policy: str
    totals: Totals
    centers: list[CenterBoard]


def _load(status: CenterStatus | None) -> Load | None:
    if status is None:
        return None
    return Load(calls_waiting=status.calls_waiting, longest_wait_s=status.longest_wait_s,
                agents_available=status.agents_available, agents_staffed=status.agents_staffed,
                open=status.open, reported_at=status.reported_at)


def condition_of(center: Center, status: CenterStatus | None, *, at: datetime, stale_after: timedelta) -> Condition:
    """The center's state at `at`, by the rule routing uses (`triggers.condition_at`)."""
    return condition_at(compile_hours(center.timezone, center.hours, center.closures), _load(status), at,
                        stale_after)


def _open_reason(condition: Condition) -> OpenReason:
    if condition.closure:
        return "closure"
    if condition.reported_closed:
        return "reported_closed"
    if condition.load is not None and condition.load.open is True:
        return "reported_open"
    return "scheduled_open" if condition.scheduled_open else "after_hours"


def _inactive(agreement: Agreement, center: Center, at: datetime, disaster_counties: frozenset[str]
              ) -> Inactive | None:
    if agreement.disaster_only:
        counties = set(agreement.counties or (set(center.counties) | set(center.area_counties)))
        if not counties & disaster_counties:
            return "disaster_only"  # no county of it is under an active incident
    if agreement.valid_from is not None and at < agreement.valid_from:
        return "not_yet_valid"
    if agreement.valid_to is not None and at >= agreement.valid_to:
        return "expired"
    return None


def build(centers: Iterable[Center], agreements: Iterable[Agreement], statuses: Iterable[CenterStatus], *,
          at: datetime, stale_after: timedelta, policy: StalePolicy,
          disaster_counties: frozenset[str] = frozenset(),
          calls: Mapping[str, CallFigures] | None = None) -> WallboardOut:
    """The board for the active centers, by name. `calls` (slug -> figures) is where call metrics plug in."""
    centers = sorted((c for c in centers if c.active), key=lambda c: (c.name.casefold(), c.slug))
    names = {c.slug: c.name for c in centers}
    by_center = {s.center_slug: s for s in statuses}
    outgoing: dict[str, list[Agreement]] = {}
    for agreement in sorted(agreements, key=lambda a: (a.priority, a.id or 0)):
        outgoing.setdefault(agreement.from_center, []).append(agreement)
    rows = []
    for center in centers:
        status = by_center.get(center.slug)
        condition = condition_of(center, status, at=at, stale_after=stale_after)
        states = []
        for agreement in outgoing.get(center.slug, []):
            if agreement.to_center not in names:
                continue  # its partner was deactivated: routing cannot use it either
            reason = _inactive(agreement, center, at, disaster_counties)
            states.append(AgreementState(
                id=agreement.id, to=agreement.to_center, to_name=names[agreement.to_center],
                priority=agreement.priority, triggers=agreement.triggers, active=reason is None,
                inactive_reason=reason, firing=[] if reason else firing(agreement.triggers, condition, policy)))
        age = None if status is None else max(int((at - status.reported_at).total_seconds()), 0)
        load = _load(status)
        rows.append(CenterBoard(
            slug=center.slug, name=center.name, open=condition.open, open_reason=_open_reason(condition),
            status="missing" if status is None else ("fresh" if condition.load is not None else "stale"),
            status_age_s=age, reported_at=None if status is None else status.reported_at,
            load=None if load is None else LoadOut(calls_waiting=load.calls_waiting,
                                                   longest_wait_s=load.longest_wait_s,
                                                   agents_available=load.agents_available,
                                                   agents_staffed=load.agents_staffed, open=load.open),
            overflowing=any(state.firing for state in states), agreements=states,
            calls=(calls or {}).get(center.slug)))
    totals = Totals(centers=len(rows), open=sum(r.open for r in rows), closed=sum(not r.open for r in rows),
                    overflowing=sum(r.overflowing for r in rows), stale=sum(r.status != "fresh" for r in rows))
    return WallboardOut(at=at, stale_after_s=int(stale_after.total_seconds()), stale_policy=policy.value,
                        totals=totals, centers=rows)


def read(session: Session, *, actor: Principal, at: datetime, stale_after: timedelta, policy: StalePolicy,
         disaster_counties: frozenset[str] = frozenset(),
         calls: Mapping[str, CallFigures] | None = None) -> WallboardOut:
    permissions.require(actor, READ_NETWORK)
    centers = session.exec(select(Center).where(Center.active)).all()
    agreements = session.exec(select(Agreement)).all()
    statuses = session.exec(select(CenterStatus)).all()
    return build(centers, agreements, statuses, at=at, stale_after=stale_after, policy=policy,
                 disaster_counties=disaster_counties, calls=calls)
