"""An incident to brief on, made through the API, and the producer's thresholds."""

from __future__ import annotations

from datetime import datetime, timedelta

from surge.briefs import periods, schedules
from surge.briefs.production import Thresholds
from surge.incidents.models import Incident
from surge.kernel.db import unit_of_work

THRESHOLDS = Thresholds(short_abandon_s=5, service_level_s=60)
INCIDENT = {"slug": "gulf-flood", "name": "Gulf flood", "type": "Flood", "exercise": True, "level": 2,
            "timezone": "America/Chicago", "operational_period_hours": 12, "period_start": "07:00",
            "area": {"counties": ["48201"]}}


def bearer(token):
    return {"authorization": f"Bearer {token}"}


def make_incident(client, headers, *, activate=True, slug="gulf-flood"):
    made = client.post("/api/v1/incidents", json={**INCIDENT, "slug": slug}, headers=headers)
    assert made.status_code == 201, made.text
    if activate:
        done = client.post(f"/api/v1/incidents/{slug}/activate", json={"reason": "landfall"}, headers=headers)
        assert done.status_code == 200, done.text
    return slug


def just_after_first_period(engine, slug="gulf-flood") -> datetime:
    """A minute after the first operational period since activation ends: one period is due then, whatever
    the time of day the test runs (a fixed "13 hours on" would hold two periods when run just before one ends)."""
    with unit_of_work(engine) as session:
        rule = schedules.rule_of(schedules.of_incident(session, slug))
        activated_at = session.get(Incident, slug).activated_at
    return periods.next_end(rule, now=activated_at) + timedelta(minutes=1)
