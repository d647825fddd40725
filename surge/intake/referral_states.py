"""The life of a referral, shaped on OASIS EDXL-RM: which action takes which state where, and what it needs.

Pure: no database. `step` answers the next state, or raises `Refused` naming both states, so the domain and
the tests read one table.

    sent --acknowledge--> acknowledged --accept--> accepted --fulfill--> fulfilled
      |                        |                      |
      +--accept (acknowledging implied)               +--release (expired, no_show, cancelled)
      +--decline (reason) ------+--decline (reason)
      +--release (expired, cancelled) ------------+
"""

from __future__ import annotations

from enum import StrEnum

from surge.intake.models import ReferralState as S


class Action(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    ACCEPT = "accept"
    DECLINE = "decline"
    FULFILL = "fulfill"
    RELEASE = "release"


class Why(StrEnum):
    """Why a referral was released."""

    EXPIRED = "expired"  # a deadline passed
    NO_SHOW = "no_show"  # accepted, and the person never came
    CANCELLED = "cancelled"  # withdrawn by the clearinghouse or a manager


# action -> {from state: to state}
TABLE: dict[Action, dict[S, S]] = {
    Action.ACKNOWLEDGE: {S.SENT: S.ACKNOWLEDGED},
    Action.ACCEPT: {S.SENT: S.ACCEPTED, S.ACKNOWLEDGED: S.ACCEPTED},
    Action.DECLINE: {S.SENT: S.DECLINED, S.ACKNOWLEDGED: S.DECLINED},
    Action.FULFILL: {S.ACCEPTED: S.FULFILLED},
    Action.RELEASE: {S.SENT: S.RELEASED, S.ACKNOWLEDGED: S.RELEASED, S.ACCEPTED: S.RELEASED},
}
# A no-show only makes sense once someone was expected.
RELEASE_WHY: dict[S, frozenset[Why]] = {
    S.SENT: frozenset({Why.EXPIRED, Why.CANCELLED}),
    S.ACKNOWLEDGED: frozenset({Why.EXPIRED, Why.CANCELLED}),
    S.ACCEPTED: frozenset(Why),
}
NEEDS_REASON = frozenset({Action.DECLINE, Action.RELEASE})
# The timestamp column each state sets on the referral.
STAMP: dict[S, str] = {S.ACKNOWLEDGED: "acknowledged_at", S.ACCEPTED: "accepted_at", S.DECLINED: "declined_at",
                       S.FULFILLED: "fulfilled_at", S.RELEASED: "released_at"}
# From here on the clearinghouse may see the person's contact details.
SHOWS_CONTACT = frozenset({S.ACCEPTED, S.FULFILLED})
OPEN = frozenset({S.SENT, S.ACKNOWLEDGED, S.ACCEPTED})


class Refused(Exception):
    """The action does not apply in the referral's state, or lacks what it needs. `field` names the input."""

    def __init__(self, kind: str, *, field: str | None = None, **params: str):
        super().__init__(kind)
        self.kind, self.field, self.params = kind, field, params


def step(state: S | str, action: Action | str, *, reason: str = "", why: Why | str | None = None) -> S:
    """The state `action` leads to from `state`; Refused("state"), ("reason") or ("why") when it may not."""
    state, action = S(state), Action(action)
    to = TABLE[action].get(state)
    if to is None:
        raise Refused("state", state=state.value, action=action.value)
    if action in NEEDS_REASON and not reason.strip():
        raise Refused("reason", field="reason", action=action.value)
    if action is Action.RELEASE:
        if why is None or Why(why) not in RELEASE_WHY[state]:
            raise Refused("why", field="why", state=state.value, why=str(why or ""))
    return to


def allowed(state: S | str) -> list[Action]:
    """The actions that apply in a state (none once it is declined, fulfilled or released)."""
    return [action for action, moves in TABLE.items() if S(state) in moves]
