"""CAP alerts read as plain data and as counties, without the web or the database."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
import shapely

import geo
from surge.alerts import cap
from surge.alerts.event_types import incident_type
from surge.alerts.xml_reading import MAX_BYTES
from surge.alerts.footprint import EARTH_RADIUS_KM, disc, footprint
from surge.incidents.models import IncidentType
from surge.kernel.errors import ValidationFailed

ALERTS = Path(__file__).parent / "data" / "alerts"


def read(name: str) -> bytes:
    return (ALERTS / name).read_bytes()


def thunderstorm(**replace: str) -> bytes:
    """thunderstorm.cap with some of its text swapped, to build alerts the fixtures do not have."""
    text = read("thunderstorm.cap").decode()
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text.encode()


POLYGON = "38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89 38.47,-120.14"
GEOCODES_START = "<geocode>"


def _message(exc: pytest.ExceptionInfo) -> str:
    error = exc.value
    return error.message % error.params if error.params else error.message


def test_a_cap_12_alert_gives_its_names_and_counties():
    alert = cap.parse(read("thunderstorm.cap"))
    assert (alert.version, alert.event, alert.status) == ("1.2", "SEVERE THUNDERSTORM", "Actual")
    assert alert.sender == "KSTO@NWS.NOAA.GOV" and alert.sent == "2003-06-17T14:57:00-07:00"
    assert alert.severity == "Severe" and alert.urgency == "Immediate"
    found = footprint(alert)
    assert found.counties == ["06003", "06009", "06109"] and found.unresolved == []


def test_polygon_points_are_read_latitude_first():
    alert = cap.parse(read("thunderstorm.cap"))
    assert alert.areas[0].polygons[0][0] == (-120.14, 38.47)  # (lon, lat)
    drawn_only = dataclasses.replace(alert, areas=tuple(dataclasses.replace(a, geocodes=()) for a in alert.areas))
    # The polygon alone lies in counties its own SAME codes name (Tuolumne, Calaveras, Alpine, CA).
    counties = footprint(drawn_only).counties
    assert counties and set(counties) <= {"06109", "06009", "06003"}
    assert geo.county_at(38.47, -120.0) in {"06009", "06109", "06003"}


def test_a_circle_is_a_disc_on_the_ground():
    ring = disc(-95.37, 29.76, 10.0)
    assert len(ring) == 64 and ring[0] == ring[-1]
    for lon, lat in ring[:-1]:
        # Haversine distance from the centre: every point 10 km away, east-west as north-south.
        p1, p2 = math.radians(29.76), math.radians(lat)
        a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon + 95.37) / 2) ** 2
        assert abs(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a)) - 10.0) < 1e-6
    alert = cap.parse(thunderstorm(**{f"<polygon>{POLYGON}</polygon>": "<circle>29.76,-95.37 5</circle>"}))
    assert alert.areas[0].circles == ((-95.37, 29.76, 5.0),)
    found = footprint(dataclasses.replace(alert, areas=(dataclasses.replace(alert.areas[0], geocodes=()),)))
    assert found.counties == ["48201"]  # downtown Houston: Harris County


def test_same_codes_for_a_whole_state_and_ugc_codes():
    whole_state = thunderstorm(**{"006109": "044000"})  # 44 = Rhode Island, five counties
    found = footprint(cap.parse(whole_state))
    assert {"44001", "44003", "44005", "44007", "44009"} <= set(found.counties)
    ugc = thunderstorm(**{"<valueName>SAME</valueName> \n       <value>006009</value>":
                          "<valueName>UGC</valueName> \n       <value>TXZ213</value>",
                          "<valueName>SAME</valueName> \n       <value>006003</value>":
                          "<valueName>UGC</valueName> \n       <value>TXC201</value>"})
    found = footprint(cap.parse(ugc))
    assert "48201" in found.counties  # a UGC county code: Texas county 201, Harris
    assert found.unresolved == ["TXZ213"]  # a forecast zone is not a county


def test_unknown_codes_are_reported_not_fatal():
    found = footprint(cap.parse(thunderstorm(**{"006009": "099999"})))
    assert "099999" in found.unresolved and "06109" in found.counties


def test_a_cap_11_alert_resolves_its_same_county():
    alert = cap.parse(read("KAR0-0306112239-SW.cap"))
    assert (alert.version, alert.event, alert.headline) == ("1.1", "Child Abduction", "AMBER ALERT")
    assert footprint(alert).counties == ["06037"]  # Los Angeles County
    weather = footprint(cap.parse(read("weather.cap")))
    assert weather.counties == ["30049"] and weather.unresolved == ["MTZ014"]


BAD = {
    "not xml": (b"<alert><unclosed></alert>", "not well-formed"),
    "wrong namespace": (b'<alert xmlns="urn:example:not-cap"/>', "not a CAP alert"),
    "schema": (read("invalid.cap"), "CAP 1.2 schema (line 9)"),
    "no info": (read("no_optional_fields.cap"), "no <info>"),
    "nowhere": (read("43b080713727.cap"), "No area of this alert lies in a US county"),
    "ocean": (read("wcatwc-warning.cap"), "No area of this alert lies in a US county"),
    "open polygon": (thunderstorm(**{POLYGON: POLYGON.rsplit(" ", 1)[0]}), "is not closed"),
    "short polygon": (thunderstorm(**{POLYGON: "38.47,-120.14 38.34,-119.95 38.47,-120.14"}), "fewer than four"),
    "swapped pair": (thunderstorm(**{POLYGON: POLYGON.replace("38.47,-120.14", "-120.14,38.47")}),
                     "latitude,longitude"),
    "dtd": (b'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x "boom">]>'
            b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&x;</alert>', "DTD or entities"),
    "external entity": (b'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&x;</alert>', "DTD or entities"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_alerts_are_refused_with_a_reason(case):
    raw, words = BAD[case]
    with pytest.raises(ValidationFailed) as exc:
        footprint(cap.parse(raw))
    assert exc.value.status == 422
    assert words in _message(exc), _message(exc)


def test_the_refusal_names_the_area():
    with pytest.raises(ValidationFailed) as exc:
        cap.parse(thunderstorm(**{POLYGON: POLYGON.rsplit(" ", 1)[0]}))
    assert "EXTREME NORTH CENTRAL TUOLUMNE COUNTY" in _message(exc)


def test_cost_is_bounded_before_any_geometry():
    many = " ".join(f"38.{i % 90:02d},-120.{i % 90:02d}" for i in range(cap.MAX_POINTS + 1))
    with pytest.raises(ValidationFailed) as exc:
        cap.parse(thunderstorm(**{POLYGON: many}))
    assert "points in all" in _message(exc)
    with pytest.raises(ValidationFailed) as exc:
        cap.parse(b" " * (MAX_BYTES + 1))
    assert "too large" in _message(exc)


def test_event_names_become_fema_incident_types():
    cases = {"Hurricane Warning": "Hurricane", "Flash Flood Warning": "Flood", "Flood Warning": "Flood",
             "Tornado Warning": "Tornado", "Severe Thunderstorm Warning": "Severe Storm", "Red Flag Warning": "Fire",
             "Fire Warning": "Fire", "Winter Storm Warning": "Winter Storm", "Blizzard Warning": "Winter Storm",
             "Tsunami Warning": "Tsunami", "Tropical Storm Watch": "Tropical Storm", "Ice Storm Warning":
             "Severe Ice Storm", "Child Abduction": "Other", "SEVERE THUNDERSTORM": "Severe Storm"}
    for event, kind in cases.items():
        assert incident_type(event) == kind, event
        assert kind in {t.value for t in IncidentType}
    assert incident_type("Evacuation Immediate", ("Fire",)) == "Fire"


def test_the_footprint_is_the_union_of_shapes_and_counties():
    found = footprint(cap.parse(read("thunderstorm.cap")))
    assert found.geometry.is_valid and shapely.get_num_geometries(found.geometry) >= 1
    assert found.geometry.contains(shapely.Point(-120.14 + 0.1, 38.47))
