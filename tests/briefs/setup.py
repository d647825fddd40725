"""An incident to brief on, made through the API, and the producer's thresholds."""

from __future__ import annotations

from surge.briefs.production import Thresholds

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
