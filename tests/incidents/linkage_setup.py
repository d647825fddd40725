"""Clearinghouses around Houston for the linkage tests: one that matches, and one failing each rule."""

from __future__ import annotations

from clearinghouse.models import Clearinghouse
from surge.kernel.db import unit_of_work

HURRICANE = {"incident_types": ["Hurricane", "Flood"], "ack_hours": 12}
DELIVERY = {"emails": ["duty@example.org", "backup@example.org"], "webhook_url": "https://hooks.example.org/vrc",
            "webhook_secret": "s" * 24}
HARRIS_BOX = {"type": "Polygon", "coordinates": [[[-96.0, 29.4], [-94.9, 29.4], [-94.9, 30.2], [-96.0, 30.2],
                                                  [-96.0, 29.4]]]}
INCIDENT = {"slug": "harvey", "name": "Hurricane Harvey", "type": "Hurricane", "exercise": False, "level": 3,
            "timezone": "America/Chicago", "area": {"counties": ["48201", "48167"]}}
LINKED = ["drawn-area", "houston-vrc"]


def make_network(make_clearinghouse, engine) -> None:
    houston = {"counties": ["48201"], "location": {"zip": "77002"}}
    make_clearinghouse("houston-vrc", **houston, delivery=DELIVERY, protocols=[HURRICANE])
    make_clearinghouse("drawn-area", counties=[], area=HARRIS_BOX, location={"zip": "77002"},
                       delivery={"emails": ["area@example.org"]}, protocols=[HURRICANE])
    make_clearinghouse("fires-only", **houston, delivery=DELIVERY, protocols=[{"incident_types": ["Fire"]}])
    make_clearinghouse("far-away", counties=["22071"], delivery=DELIVERY, protocols=[HURRICANE])
    make_clearinghouse("expired", **houston, delivery=DELIVERY,
                       protocols=[{**HURRICANE, "valid_from": "2019-01-01", "valid_to": "2020-01-01"}])
    make_clearinghouse("not-yet", **houston, delivery=DELIVERY, protocols=[{**HURRICANE, "valid_from": "2999-01-01"}])
    make_clearinghouse("no-protocol", **houston, delivery=DELIVERY)
    make_clearinghouse("inactive", **houston, delivery=DELIVERY, protocols=[HURRICANE])
    with unit_of_work(engine) as session:
        session.get(Clearinghouse, "inactive").active = False
