"""The protocol rules and the notices, as pure functions."""

from __future__ import annotations

from datetime import date, datetime, timezone

from clearinghouse import protocols
from clearinghouse.protocol_models import ClearinghouseProtocol
from surge.incidents import linkage_notices as notices
from surge.incidents.linkages import choose, local_day


def _protocol(id=1, **fields) -> ClearinghouseProtocol:
    return ClearinghouseProtocol(id=id, clearinghouse_slug="x", **{"incident_types": ["Hurricane"], **fields})


def test_a_protocol_applies_to_its_types_between_its_dates():
    june = date(2026, 6, 1)
    assert protocols.applies(_protocol(), incident_type="Hurricane", on=june)
    assert not protocols.applies(_protocol(), incident_type="Fire", on=june)
    dated = _protocol(valid_from=date(2026, 6, 1), valid_to=date(2026, 6, 30))
    assert protocols.applies(dated, incident_type="Hurricane", on=date(2026, 6, 30))
    assert not protocols.applies(dated, incident_type="Hurricane", on=date(2026, 7, 1))
    assert not protocols.applies(dated, incident_type="Hurricane", on=date(2026, 5, 31))


def test_the_quickest_applicable_protocol_is_chosen():
    slow, quick, fire = _protocol(1, ack_hours=48), _protocol(2, ack_hours=4), _protocol(3, incident_types=["Fire"],
                                                                                          ack_hours=1)
    assert choose([slow, quick, fire], incident_type="Hurricane", on=date(2026, 6, 1)) is quick
    assert choose([fire], incident_type="Hurricane", on=date(2026, 6, 1)) is None


def test_an_empty_protocol_covers_all_that_is_accepted():
    accepts = {"skills": ["muck_out"], "donation_categories": ["water"]}
    assert protocols.covered(_protocol(skills=[], donation_categories=[]), accepts) == (["muck_out"], ["water"])
    assert protocols.covered(_protocol(skills=["muck_out"], donation_categories=[]), accepts) == (["muck_out"], [])


def test_protocol_days_are_the_incident_s_own():
    late_evening = datetime(2026, 6, 2, 3, 0, tzinfo=timezone.utc)  # still 1 June in Houston
    assert local_day(late_evening, "America/Chicago") == date(2026, 6, 1)


def test_notices_read_well_and_keys_follow_the_activation():
    incident = notices.IncidentFacts(slug="harvey", name="Harvey", type="Hurricane", exercise=True, level=2,
                                     counties=["48201"] * 254, status="active")
    link = notices.LinkFacts(clearinghouse="vrc", name="The VRC", state="linked", source="protocol", protocol_id=7,
                             ack_hours=6, skills=["muck_out"], donation_categories=[])
    notice = notices.activated(incident, link)
    assert notice.subject == "EXERCISE: Harvey activated (Hurricane, level 2)"
    assert notice.text.splitlines()[0] == ("Harvey (Hurricane, level 2) is active in 254 counties, and The VRC is "
                                           "linked to it.")
    assert "Donation categories covered: none." in notice.text and "/incidents/harvey" in notice.text
    assert notice.payload["linkage"]["protocol_id"] == 7
    first = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
    assert notices.event_key("incident.activated", "harvey", first, "vrc") != \
        notices.event_key("incident.activated", "harvey", first.replace(hour=13), "vrc")
    assert notices.stood_down(incident, link, closed=True).topic == "incident.closed"
