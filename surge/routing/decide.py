"""One routing decision: the ordered centers that should take a caller's call, and why the others did not.

Pure and fast (no database, no clock): the plan, the live view and the moment are all passed in.

1. The home center comes first if it is open, no trigger of its applicable agreements fires, and it
   serves the caller's language and TTY need.
2. Then its agreements in priority order: those whose triggers fire, or all of them when the home
   center is unavailable (closed, or unable to serve the caller). Each target must be open, under the
   agreement's hourly cap and able to serve the caller.
3. Then the home center, when it was passed over only for load.
4. Last, the national fallback, if one is configured.

Agreements are followed one hop from the home center only, and a center appears once, so a cycle of
agreements (A to B, B to A) can never loop a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timedelta

from surge.centers.triggers import Condition, Load, StalePolicy, condition_at, firing
from surge.routing.plan import CenterPlan, Plan


@dataclass(frozen=True)
class Need:
    language: str | None = None
    tty: bool = False


@dataclass(frozen=True)
class LiveView:
    """What changes minute to minute: reported loads, overflow counts this hour, active disaster counties."""

    loads: dict[str, Load] = field(default_factory=dict)
    overflowed_last_hour: dict[tuple[str, str], int] = field(default_factory=dict)
    disaster_counties: frozenset[str] = frozenset()
    stale_after: timedelta = timedelta(seconds=300)
    policy: StalePolicy = StalePolicy.UNKNOWN
    fallback: str | None = None


@dataclass
class Target:
    center: str
    name: str
    reason: str  # home | overflow | home_after_overflow | fallback
    agreement: int | None = None
    triggers: list[str] | None = None


@dataclass
class Skip:
    center: str
    why: str  # closed | language | tty | load | over_cap | inactive
    agreement: int | None = None


@dataclass
class Decision:
    county: str
    home: str | None
    basis: str | None
    targets: list[Target]
    skipped: list[Skip]
    stale: list[str]

    @cached_property
    def as_json(self) -> dict:
        """Targets and skips as JSON values, made once: a decision may answer many calls in its second."""
        return {
            "targets": [{"center": t.center, "name": t.name, "reason": t.reason, "agreement": t.agreement,
                         "triggers": t.triggers} for t in self.targets],
            "skipped": [{"center": s.center, "why": s.why, "agreement": s.agreement} for s in self.skipped],
        }

    @cached_property
    def as_logged(self) -> dict:
        """The same, as the decision log keeps them: without empty fields, without names."""
        return {key: [{k: v for k, v in item.items() if v is not None and k != "name"} for item in items]
                for key, items in self.as_json.items()}


def condition_of(center: CenterPlan, at: datetime, view: LiveView) -> Condition:
    return condition_at(center.hours, view.loads.get(center.slug), at, view.stale_after)


def _unserved(center: CenterPlan, need: Need) -> str | None:
    if need.language is not None and not center.serves(need.language, False):
        return "language"
    if need.tty and not center.tty:
        return "tty"
    return None


def decide(plan: Plan, county: str, zip_code: str | None, need: Need, at: datetime, view: LiveView) -> Decision:
    found = plan.home(county, zip_code)
    targets: list[Target] = []
    skipped: list[Skip] = []
    stale: list[str] = []
    chosen: set[str] = set()

    def consider(center: CenterPlan) -> Condition:
        state = condition_of(center, at, view)
        if state.stale and center.slug not in stale:
            stale.append(center.slug)
        return state

    if found is not None:
        home, basis = found
        home_state = consider(home)
        unserved = _unserved(home, need)
        agreements = [a for a in plan.agreements_from.get(home.slug, ())
                      if a.applies(county, need.language, at, view.disaster_counties)]
        fired = {a.id: firing(a.triggers, home_state, view.policy) for a in agreements}
        loaded = any(fired.values())
        unavailable = not home_state.open or unserved is not None
        if not unavailable and not loaded:
            targets.append(Target(home.slug, home.name, "home"))
            chosen.add(home.slug)
        else:
            why = unserved or ("closed" if not home_state.open else "load")
            skipped.append(Skip(home.slug, why))
        if unavailable or loaded:
            for agreement in agreements:
                if not unavailable and not fired[agreement.id]:
                    continue
                target = plan.centers[agreement.to_center]
                if target.slug in chosen or target.slug == home.slug:
                    continue
                why = _unserved(target, need)
                if why is None and not consider(target).open:
                    why = "closed"
                if why is None and agreement.max_calls_per_hour is not None and view.overflowed_last_hour.get(
                        (home.slug, target.slug), 0) >= agreement.max_calls_per_hour:
                    why = "over_cap"
                if why is not None:
                    skipped.append(Skip(target.slug, why, agreement.id))
                    continue
                targets.append(Target(target.slug, target.name, "overflow", agreement.id,
                                      fired[agreement.id] or ["home_unavailable"]))
                chosen.add(target.slug)
            if not unavailable and loaded:
                targets.append(Target(home.slug, home.name, "home_after_overflow"))
                chosen.add(home.slug)
    else:
        home, basis = None, None
    fallback = plan.centers.get(view.fallback) if view.fallback else None
    if fallback is not None and fallback.slug not in chosen:
        targets.append(Target(fallback.slug, fallback.name, "fallback"))
    return Decision(county=county, home=home.slug if home else None, basis=basis, targets=targets,
                    skipped=skipped, stale=stale)
