"""The demo exercise (active), a draft incident, and callers of each role, for the needs tests."""

from __future__ import annotations

import pytest

from surge.access.principal import system
from surge.demo_network import load_exercise, load_network
from surge.incidents import areas, lifecycle
from surge.incidents.models import IncidentIn
from surge.kernel.clock import utcnow
from surge.kernel.db import run_in_transaction
from surge.kernel.validation import validate

EXERCISE = "gulf-hurricane-exercise"
DRAFT = "draft-flood"
ACTOR = system("test")


def _draft(session):
    data = validate(IncidentIn, {"slug": DRAFT, "name": "Draft flood", "type": "Flood", "timezone": "America/Chicago",
                                 "area": {"counties": ["48201"]}})
    area, counties = areas.resolve(data.area, actor=ACTOR)
    lifecycle.create(session, data=data, area=area, counties=counties, actor=ACTOR)


@pytest.fixture
def incidents(engine):
    run_in_transaction(engine, load_network, actor=ACTOR)
    run_in_transaction(engine, load_exercise, actor=ACTOR, now=utcnow())
    run_in_transaction(engine, _draft)
    return EXERCISE


def stand_down(engine, slug=EXERCISE):
    run_in_transaction(engine, lifecycle.stand_down, slug=slug, reason="test", actor=ACTOR, now=utcnow())


def bearer(make_token, role, **ties):
    return {"authorization": f"Bearer {make_token(role=role, name=f'{role} desk', **ties)}"}
