"""Activation links the clearinghouses the protocols call for and tells them through the outbox, in one
transaction; stand-down tells them that new referrals stop."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlmodel import select

from surge.incidents import lifecycle, linkages
from surge.incidents.linkage_models import IncidentLinkage
from surge.kernel.db import run_in_transaction, unit_of_work
from surge.outbox.models import OutboxMessage
from tests.conftest import TEST_ACTOR
from tests.incidents.linkage_setup import INCIDENT, LINKED, make_network


def bearer(token):
    return {"authorization": f"Bearer {token}"}


def _outbox(engine) -> list[OutboxMessage]:
    with unit_of_work(engine) as session:
        return session.exec(select(OutboxMessage).order_by(OutboxMessage.key)).all()


def _linkages(engine) -> dict[str, tuple[str, str]]:
    with unit_of_work(engine) as session:
        return {l.clearinghouse_slug: (l.state, l.source) for l in session.exec(select(IncidentLinkage))}


@pytest.fixture
def em(client, make_token, make_clearinghouse, engine):
    make_network(make_clearinghouse, engine)
    headers = bearer(make_token("emergency_manager"))
    assert client.post("/api/v1/incidents", json=INCIDENT, headers=headers).status_code == 201
    return headers


def _takes(engine, incident: str, clearinghouse: str) -> bool:
    return run_in_transaction(engine, lambda s: linkages.accepts_referrals(s, incident, clearinghouse))


def _step(client, em, step, reason="x"):
    answer = client.post(f"/api/v1/incidents/harvey/{step}", json={"reason": reason}, headers=em)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_activation_links_exactly_the_matching_clearinghouses_and_tells_them(client, em, engine):
    assert _outbox(engine) == []
    activated_at = _step(client, em, "activate", "landfall")["activated_at"]
    assert _linkages(engine) == {slug: ("linked", "protocol") for slug in LINKED}
    messages = _outbox(engine)
    # houston-vrc: two e-mails and a webhook; drawn-area: one e-mail.
    assert [(m.channel, m.recipient) for m in messages] == [
        ("email", "area@example.org"), ("email", "backup@example.org"), ("email", "duty@example.org"),
        ("webhook", "https://hooks.example.org/vrc")]
    stamp = datetime.fromisoformat(activated_at.replace("Z", "+00:00")).isoformat()
    assert messages[-1].key == f"incident:harvey:incident.activated:{stamp}:houston-vrc:webhook"
    mail = messages[2]
    assert mail.topic == "incident.activated" and mail.subject == "Hurricane Harvey activated (Hurricane, level 3)"
    text = mail.body["text"]
    assert "active in 2 counties" in text and "within 12 hours" in text and "/incidents/harvey" in text
    assert "debris_removal, muck_out" in text  # a protocol naming nothing covers all the clearinghouse accepts
    hook = messages[-1].body
    assert hook["incident"] == {"slug": "harvey", "name": "Hurricane Harvey", "type": "Hurricane", "exercise": False,
                                "level": 3, "counties": ["48167", "48201"], "status": "active"}
    assert hook["linkage"]["clearinghouse"] == "houston-vrc" and hook["linkage"]["ack_hours"] == 12
    # The second activation of an active incident changes nothing and writes nothing.
    _step(client, em, "activate", "double click")
    assert len(_outbox(engine)) == 4


def test_an_exercise_says_so(client, make_token, make_clearinghouse, engine):
    make_network(make_clearinghouse, engine)
    em = bearer(make_token("emergency_manager"))
    client.post("/api/v1/incidents", json={**INCIDENT, "exercise": True}, headers=em)
    _step(client, em, "activate")
    mail = next(m for m in _outbox(engine) if m.channel == "email")
    assert mail.subject.startswith("EXERCISE: ") and "This is an exercise." in mail.body["text"]


def test_a_failed_activation_links_and_tells_nobody(client, em, engine):
    with pytest.raises(RuntimeError):
        with unit_of_work(engine) as session:
            lifecycle.activate(session, slug="harvey", reason="x", actor=TEST_ACTOR,
                               now=datetime.now(timezone.utc))
            assert session.exec(select(OutboxMessage)).all()  # written in this transaction...
            raise RuntimeError("something after it failed")
    assert _outbox(engine) == [] and _linkages(engine) == {}  # ...and gone with it


def test_stand_down_tells_linked_and_paused_and_referrals_stop(client, em, engine):
    _step(client, em, "activate")
    assert _takes(engine, "harvey", "houston-vrc")
    paused = client.put("/api/v1/incidents/harvey/linkages/drawn-area", json={"state": "paused", "reason": "full"},
                        headers=em)
    assert paused.status_code == 200 and paused.json()["state"] == "paused"
    assert not _takes(engine, "harvey", "drawn-area")
    _step(client, em, "stand-down")
    assert not _takes(engine, "harvey", "houston-vrc")
    down = [m for m in _outbox(engine) if m.topic == "incident.stood_down"]
    assert sorted(m.recipient for m in down) == ["area@example.org", "backup@example.org", "duty@example.org",
                                                 "https://hooks.example.org/vrc"]
    assert all("new referrals stop" in m.body["text"] for m in down if m.channel == "email")
    # Activated again after demobilizing: a new activation, told again; the paused one stays paused.
    _step(client, em, "activate", "second landfall")
    assert _linkages(engine)["drawn-area"] == ("paused", "manual")
    activated = [m for m in _outbox(engine) if m.topic == "incident.activated"]
    assert len(activated) == 4 + 3  # first activation: both; the second: houston-vrc only
    _step(client, em, "stand-down")
    _step(client, em, "stand-down")
    closed = [m for m in _outbox(engine) if m.topic == "incident.closed"]
    assert len(closed) == 4 and all(m.subject == "Hurricane Harvey closed" for m in closed)
    assert not _takes(engine, "harvey", "houston-vrc")
    assert not _takes(engine, "nothing", "houston-vrc")


def test_a_hand_set_linkage_survives_reactivation(client, em, engine):
    client.put("/api/v1/incidents/harvey/linkages/houston-vrc", json={"state": "unlinked", "reason": "no staff"},
               headers=em)
    _step(client, em, "activate")
    assert _linkages(engine) == {"houston-vrc": ("unlinked", "manual"), "drawn-area": ("linked", "protocol")}
    assert [m.recipient for m in _outbox(engine)] == ["area@example.org"]


def test_proposed_linkages_match_what_activation_does(engine, make_clearinghouse):
    make_network(make_clearinghouse, engine)
    day = datetime.now(timezone.utc).date()
    proposed = run_in_transaction(engine, linkages.proposed_linkages, incident_type="Hurricane",
                                  counties=["48201", "48167"], on=day)
    assert [p.clearinghouse for p in proposed] == LINKED
    assert proposed[1].counties == ["48201"] and proposed[1].ack_hours == 12
    assert run_in_transaction(engine, linkages.proposed_linkages, incident_type="Tornado", counties=["48201"],
                              on=day) == []
    fires = run_in_transaction(engine, linkages.proposed_linkages, incident_type="Fire", counties=["48201"], on=day)
    assert [p.clearinghouse for p in fires] == ["fires-only"]
    old = run_in_transaction(engine, linkages.proposed_linkages, incident_type="Hurricane", counties=["48201"],
                             on=datetime(2019, 6, 1).date())
    assert [p.clearinghouse for p in old] == ["drawn-area", "expired", "houston-vrc"]
