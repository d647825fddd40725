"""Which of an agreement's triggers fire for its from-center, given the center's hours and last reported load.

One pure rule, used by routing and shown on the wallboard:

- `after_hours`: the weekly schedule says closed;
- `closed`: a closure covers the moment, or the phone system reported `open: false`;
- `calls_waiting: N`: at least N calls waiting;
- `longest_wait_s: N`: the longest waiting call has waited at least N seconds;
- `no_agents`: no agent is available;
- `always`: always.

A status older than the stale limit is stale and not used. With the stale policy `normal` the center
then counts as unloaded and open by its schedule; with `unknown` its load is unknown, so every load
trigger is taken to fire (named `status_unknown`): better a caller offered to a partner than left
waiting on a silent center. A center that has never reported (no phone system connected) counts as
unloaded and open by its schedule, whatever the policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from surge.centers.hours import Hours

LOAD_TRIGGERS = frozenset({"calls_waiting", "longest_wait_s", "no_agents"})
STATUS_UNKNOWN = "status_unknown"


class StalePolicy(StrEnum):
    UNKNOWN = "unknown"
    NORMAL = "normal"


@dataclass(frozen=True)
class Load:
    calls_waiting: int
    longest_wait_s: int
    agents_available: int
    agents_staffed: int
    open: bool | None
    reported_at: datetime


@dataclass(frozen=True)
class Condition:
    """A center's state at one moment, as triggers see it."""

    scheduled_open: bool
    closure: bool
    load: Load | None  # None: no fresh status
    stale: bool  # a status was reported, but too long ago

    @property
    def reported_closed(self) -> bool:
        return self.load is not None and self.load.open is False

    @property
    def open(self) -> bool:
        """Open to take calls: by schedule, no closure, and not reported closed (a report of open overrides the schedule)."""
        if self.closure or self.reported_closed:
            return False
        if self.load is not None and self.load.open is True:
            return True
        return self.scheduled_open


CLOCK_SKEW = timedelta(seconds=60)  # a phone system's clock may run a little ahead of ours


def fresh_load(load: Load | None, at: datetime, stale_after: timedelta) -> Load | None:
    """The load if it was reported within `stale_after` before `at`, else None."""
    if load is None or not -CLOCK_SKEW <= at - load.reported_at <= stale_after:
        return None
    return load


def is_stale(load: Load | None, at: datetime, stale_after: timedelta) -> bool:
    """A status was reported, but longer than `stale_after` before `at`.

    A report from well after `at` (a question about the past) is neither fresh nor stale: no live status
    applies to that moment.
    """
    return load is not None and at - load.reported_at > stale_after


def condition_at(hours: Hours, reported: Load | None, at: datetime, stale_after: timedelta) -> Condition:
    """The one way a center's hours, closures and last report become its state at `at` (routing and wallboard)."""
    return Condition(scheduled_open=hours.scheduled_open(at), closure=hours.closed_for(at),
                     load=fresh_load(reported, at, stale_after), stale=is_stale(reported, at, stale_after))


def firing(triggers: dict, condition: Condition, policy: StalePolicy) -> list[str]:
    """The names of the triggers that fire, in a stable order."""
    fired = []
    if triggers.get("always"):
        fired.append("always")
    if triggers.get("after_hours") and not condition.scheduled_open:
        fired.append("after_hours")
    if triggers.get("closed") and (condition.closure or condition.reported_closed):
        fired.append("closed")
    load = condition.load
    wants_load = LOAD_TRIGGERS & {name for name, value in triggers.items() if value}
    if load is None:
        if wants_load and condition.stale and policy is StalePolicy.UNKNOWN:
            fired.append(STATUS_UNKNOWN)
        return fired
    if "calls_waiting" in wants_load and load.calls_waiting >= triggers["calls_waiting"]:
        fired.append("calls_waiting")
    if "longest_wait_s" in wants_load and load.longest_wait_s >= triggers["longest_wait_s"]:
        fired.append("longest_wait_s")
    if "no_agents" in wants_load and load.agents_available == 0:
        fired.append("no_agents")
    return fired
