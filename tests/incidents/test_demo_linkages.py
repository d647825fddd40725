"""The demo's exercise links its four clearinghouses by protocol, with two needs lists, however often it loads."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlmodel import select

from surge.demo_network import EXERCISE, load_clearinghouses, load_exercise, load_needs, load_network
from surge.incidents import linkages
from surge.incidents.needs_lists import public_needs
from surge.kernel.db import run_in_transaction, unit_of_work
from surge.outbox.models import OutboxMessage
from tests.conftest import TEST_ACTOR


def _load(session):
    now = datetime.now(timezone.utc)
    load_network(session, actor=TEST_ACTOR)
    load_clearinghouses(session, actor=TEST_ACTOR)
    load_exercise(session, actor=TEST_ACTOR, now=now)
    load_needs(session, actor=TEST_ACTOR, now=now)


def test_the_demo_exercise_links_the_demo_clearinghouses(engine):
    run_in_transaction(engine, _load)
    run_in_transaction(engine, _load)
    slug = EXERCISE["slug"]
    found = run_in_transaction(engine, linkages.linkages_of, incident_slug=slug)
    assert sorted((l.clearinghouse, l.state, l.source) for l in found) == [
        ("coastal-bend-warehouse", "linked", "protocol"), ("houston-vrc", "linked", "protocol"),
        ("swla-voad", "linked", "protocol"), ("volunteer-louisiana", "linked", "protocol")]
    picture = run_in_transaction(engine, public_needs, incident_slug=slug)
    assert [n.code for n in picture.needed] == ["muck_out", "water", "cleaning_supplies"]
    assert [n.code for n in picture.not_needed] == ["used_clothing"]
    with unit_of_work(engine) as session:
        # The demo clearinghouses list no delivery addresses, so nothing waits to be sent.
        assert session.exec(select(OutboxMessage)).all() == []
