"""The transition table, alone: every state and action, what it needs, and what it refuses."""

import pytest

from surge.intake.models import ReferralState as S
from surge.intake.referral_states import Action, Refused, Why, allowed, step

MOVES = [
    (S.SENT, Action.ACKNOWLEDGE, S.ACKNOWLEDGED),
    (S.SENT, Action.ACCEPT, S.ACCEPTED),
    (S.ACKNOWLEDGED, Action.ACCEPT, S.ACCEPTED),
    (S.SENT, Action.DECLINE, S.DECLINED),
    (S.ACKNOWLEDGED, Action.DECLINE, S.DECLINED),
    (S.ACCEPTED, Action.FULFILL, S.FULFILLED),
    (S.SENT, Action.RELEASE, S.RELEASED),
    (S.ACKNOWLEDGED, Action.RELEASE, S.RELEASED),
    (S.ACCEPTED, Action.RELEASE, S.RELEASED),
]


@pytest.mark.parametrize("before, action, after", MOVES)
def test_each_allowed_move(before, action, after):
    assert step(before, action, reason="full up", why=Why.EXPIRED) is after


@pytest.mark.parametrize("before", list(S))
@pytest.mark.parametrize("action", list(Action))
def test_everything_else_is_refused_naming_the_state(before, action):
    if (before, action) in {(b, a) for b, a, _ in MOVES}:
        return
    with pytest.raises(Refused) as refused:
        step(before, action, reason="x", why=Why.CANCELLED)
    assert refused.value.kind == "state" and refused.value.params == {"state": before.value, "action": action.value}


def test_the_closed_states_allow_nothing():
    assert [allowed(state) for state in (S.DECLINED, S.FULFILLED, S.RELEASED)] == [[], [], []]
    assert allowed(S.SENT) == [Action.ACKNOWLEDGE, Action.ACCEPT, Action.DECLINE, Action.RELEASE]


@pytest.mark.parametrize("action", [Action.DECLINE, Action.RELEASE])
def test_declining_and_releasing_need_a_reason(action):
    with pytest.raises(Refused) as refused:
        step(S.SENT, action, reason="   ", why=Why.CANCELLED)
    assert refused.value.kind == "reason" and refused.value.field == "reason"


def test_a_release_says_why_and_no_show_only_after_acceptance():
    for state, why in [(S.SENT, None), (S.SENT, Why.NO_SHOW), (S.ACKNOWLEDGED, Why.NO_SHOW)]:
        with pytest.raises(Refused) as refused:
            step(state, Action.RELEASE, reason="gone", why=why)
        assert refused.value.kind == "why"
    assert step(S.ACCEPTED, Action.RELEASE, reason="never came", why="no_show") is S.RELEASED
