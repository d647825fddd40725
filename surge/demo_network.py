"""The demo's 2-1-1 network: eight centers on real Gulf-coast counties of Texas and Louisiana, with tiered
overflow agreements (some only for disasters), four clearinghouses with their protocols, and an active
hurricane exercise that links them, with two needs lists. The names are illustrative, the counties are real."""

from __future__ import annotations

from sqlmodel import Session, select

from clearinghouse import needs
from clearinghouse import registry as clearinghouses
from clearinghouse.models import ClearinghouseIn
from clearinghouse.needs_models import NeedsIn
from surge.access.principal import Principal
from surge.briefs import activation
from surge.centers import agreements, registry
from surge.centers.models import Agreement, AgreementIn, CenterIn
from surge.incidents import areas, lifecycle, linkages, needs_lists
from surge.incidents.models import Incident, IncidentIn
from surge.kernel.validation import validate

WEEKDAYS_8_TO_6 = {day: [["08:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
WEEKDAYS_8_TO_8 = {day: [["08:00", "20:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
LONG_WEEK = {**{day: [["07:00", "21:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
             "sat": [["09:00", "17:00"]]}

CENTERS = [
    {"slug": "houston-211", "name": "Greater Houston 2-1-1", "timezone": "America/Chicago",
     "counties": ["48201", "48157", "48339", "48039", "48167", "48071", "48291", "48473"],
     "languages": ["en", "es", "vi", "zh"], "tty": True, "hours": "24/7", "seats": 120, "accredited": True,
     "sip_uri": "sip:queue@houston-211.demo.invalid"},
    {"slug": "beaumont-211", "name": "Southeast Texas 2-1-1", "timezone": "America/Chicago",
     "counties": ["48245", "48361", "48199"], "languages": ["en", "es"], "hours": LONG_WEEK, "seats": 18,
     "accredited": True, "sip_uri": "sip:queue@beaumont-211.demo.invalid"},
    {"slug": "austin-211", "name": "Central Texas 2-1-1", "timezone": "America/Chicago",
     "counties": ["48453", "48491", "48209", "48021"], "languages": ["en", "es"], "tty": True,
     "hours": "24/7", "seats": 45, "accredited": True, "sip_uri": "sip:queue@austin-211.demo.invalid"},
    {"slug": "san-antonio-211", "name": "Alamo Region 2-1-1", "timezone": "America/Chicago",
     "counties": ["48029", "48091", "48187"], "languages": ["en", "es"], "hours": LONG_WEEK, "seats": 40,
     "accredited": True, "sip_uri": "sip:queue@san-antonio-211.demo.invalid"},
    {"slug": "corpus-christi-211", "name": "Coastal Bend 2-1-1", "timezone": "America/Chicago",
     "counties": ["48355", "48409", "48007", "48273"], "languages": ["en", "es"], "hours": WEEKDAYS_8_TO_6,
     "closures": ["2026-12-25", "2027-01-01"], "seats": 12, "accredited": False,
     "sip_uri": "sip:queue@corpus-christi-211.demo.invalid"},
    {"slug": "new-orleans-211", "name": "Southeast Louisiana 2-1-1", "timezone": "America/Chicago",
     "counties": ["22071", "22051", "22087", "22075", "22103"], "languages": ["en", "es", "vi"], "tty": True,
     "hours": "24/7", "seats": 60, "accredited": True, "sip_uri": "sip:queue@new-orleans-211.demo.invalid"},
    {"slug": "baton-rouge-211", "name": "Capital Area 2-1-1", "timezone": "America/Chicago",
     "counties": ["22033", "22005", "22063", "22121"], "languages": ["en"], "hours": WEEKDAYS_8_TO_8,
     "seats": 25, "accredited": True, "sip_uri": "sip:queue@baton-rouge-211.demo.invalid"},
    {"slug": "lake-charles-211", "name": "Southwest Louisiana 2-1-1", "timezone": "America/Chicago",
     "counties": ["22019", "22023", "22011"], "languages": ["en", "fr"], "hours": WEEKDAYS_8_TO_6,
     "seats": 10, "accredited": False, "sip_uri": "sip:queue@lake-charles-211.demo.invalid"},
]

LOAD = {"calls_waiting": 20, "longest_wait_s": 120}
AFTER_HOURS = {"after_hours": True, "closed": True}
AGREEMENTS = [
    {"from": "houston-211", "to": "beaumont-211", "priority": 1, "triggers": LOAD, "max_calls_per_hour": 120},
    {"from": "houston-211", "to": "austin-211", "priority": 2, "triggers": {"calls_waiting": 30, "no_agents": True}},
    {"from": "houston-211", "to": "san-antonio-211", "priority": 3, "triggers": {"always": True},
     "disaster_only": True},
    {"from": "beaumont-211", "to": "houston-211", "priority": 1, "triggers": {**AFTER_HOURS, "calls_waiting": 8}},
    {"from": "beaumont-211", "to": "lake-charles-211", "priority": 2, "triggers": {"calls_waiting": 10}},
    {"from": "austin-211", "to": "san-antonio-211", "priority": 1, "triggers": {"calls_waiting": 15}},
    {"from": "austin-211", "to": "houston-211", "priority": 2, "triggers": {"closed": True, "no_agents": True}},
    {"from": "san-antonio-211", "to": "austin-211", "priority": 1, "triggers": {**AFTER_HOURS, **LOAD}},
    {"from": "san-antonio-211", "to": "corpus-christi-211", "priority": 2, "triggers": {"always": True},
     "disaster_only": True},
    {"from": "corpus-christi-211", "to": "san-antonio-211", "priority": 1, "triggers": AFTER_HOURS},
    {"from": "corpus-christi-211", "to": "houston-211", "priority": 2,
     "triggers": {**AFTER_HOURS, "calls_waiting": 10}, "languages": ["es", "vi"]},
    {"from": "new-orleans-211", "to": "baton-rouge-211", "priority": 1, "triggers": LOAD},
    {"from": "new-orleans-211", "to": "houston-211", "priority": 2, "triggers": {"always": True},
     "disaster_only": True, "max_calls_per_hour": 300},
    {"from": "baton-rouge-211", "to": "new-orleans-211", "priority": 1, "triggers": {**AFTER_HOURS, **LOAD}},
    {"from": "baton-rouge-211", "to": "lake-charles-211", "priority": 2, "triggers": {"calls_waiting": 10}},
    {"from": "lake-charles-211", "to": "baton-rouge-211", "priority": 1, "triggers": {"calls_waiting": 6}},
    {"from": "lake-charles-211", "to": "new-orleans-211", "priority": 2, "triggers": AFTER_HOURS},
    {"from": "lake-charles-211", "to": "beaumont-211", "priority": 3, "triggers": {"no_agents": True}},
]


# An exercise, so that the demo shows an active incident without moving any (demo) call: exercises never
# bring disaster-only agreements into routing. It runs along the coast from Corpus Christi to New Orleans,
# so that its activation links the four demo clearinghouses by their protocols.
EXERCISE = {"slug": "gulf-hurricane-exercise", "name": "Gulf Coast hurricane exercise", "type": "Hurricane",
            "exercise": True, "level": 2, "timezone": "America/Chicago",
            "area": {"counties": ["48201", "48167", "48039", "48071", "48245", "48361", "22019", "22023",
                                  "48355", "22071"]}}

# What two of the linked clearinghouses ask for during the exercise: cash is best, used clothing is not wanted.
NEEDS = {
    "houston-vrc": [{"code": "muck_out", "status": "needed", "quantity": 150, "note": "crews of five, boots on"},
                    {"code": "chainsaw", "status": "full"},
                    {"code": "used_clothing", "status": "not_needed", "note": "please give cash instead"}],
    "coastal-bend-warehouse": [{"code": "water", "status": "needed", "quantity": 40, "note": "pallets"},
                               {"code": "cleaning_supplies", "status": "needed"},
                               {"code": "non_perishable_food", "status": "full"},
                               {"code": "used_clothing", "status": "not_needed"}],
}


def load_exercise(session: Session, *, actor: Principal, now) -> str:
    """The demo's active exercise incident (made and activated once, after the clearinghouses it links)."""
    if session.get(Incident, EXERCISE["slug"]) is None:
        data = validate(IncidentIn, EXERCISE)
        area, counties = areas.resolve(data.area, actor=actor)
        lifecycle.create(session, data=data, area=area, counties=counties, actor=actor)
        activation.activate(session, slug=data.slug, reason="demo exercise", actor=actor, now=now)
    return EXERCISE["slug"]


def load_network(session: Session, *, actor: Principal) -> list[str]:
    """Create whatever of the demo network is missing; the slugs of the demo's centers."""
    for center in CENTERS:
        if not registry.exists(session, slug=center["slug"]):
            registry.create(session, data=validate(CenterIn, center), actor=actor)
    have = {(a.from_center, a.to_center) for a in session.exec(select(Agreement)).all()}
    for agreement in AGREEMENTS:
        if (agreement["from"], agreement["to"]) not in have:
            agreements.create(session, data=validate(AgreementIn, agreement), actor=actor)
    return [center["slug"] for center in CENTERS]


# Clearinghouses on real Gulf-coast counties (names illustrative): a volunteer reception center, a
# donations warehouse, a VOAD member, and a volunteer center that speaks Spanish.
CLEARINGHOUSES = [
    {"slug": "volunteer-louisiana", "name": "Volunteer Louisiana (demo)", "kind": "volunteer_center",
     "counties": ["22071", "22051", "22087", "22075", "22103", "22033"], "location": {"zip": "70112"},
     "radius_miles": 60, "languages": ["en", "es"], "hours": "Mon-Sat 08:00-18:00",
     "accepts": {"skills": ["debris_removal", "muck_out", "interpreter", "shelter_support", "phone_bank"]},
     "capacity": {"volunteers_per_day": 300},
     "protocols": [{"incident_types": ["Hurricane", "Flood", "Tropical Storm"], "ack_hours": 8,
                    "skills": ["interpreter", "shelter_support", "muck_out"],
                    "escalation": {"name": "Volunteer desk lead", "phone": "+1 504 555 0140"},
                    "mou": "Spanish-speaking volunteers for shelters and muck-out (demo)"}]},
    {"slug": "houston-vrc", "name": "Greater Houston Volunteer Reception Center (demo)",
     "kind": "volunteer_reception_center", "counties": ["48201", "48157", "48339", "48039", "48167"],
     "location": {"lat": 29.7604, "lon": -95.3698}, "radius_miles": 40, "languages": ["en"],
     "accepts": {"skills": ["debris_removal", "muck_out", "chainsaw", "construction_trades", "cdl_driver",
                            "warehouse", "food_service", "data_entry"]},
     "capacity": {"volunteers_per_day": 500},
     "protocols": [{"incident_types": ["Hurricane", "Flood", "Tropical Storm"], "ack_hours": 12,
                    "skills": ["debris_removal", "muck_out", "chainsaw", "construction_trades"],
                    "escalation": {"name": "VRC duty officer", "phone": "+1 713 555 0100"},
                    "mou": "Volunteer reception for Harris County emergency management (demo)"}]},
    {"slug": "coastal-bend-warehouse", "name": "Coastal Bend Multi-Agency Warehouse (demo)",
     "kind": "multi_agency_warehouse", "counties": ["48355", "48409", "48007", "48273"],
     "location": {"zip": "78401"}, "radius_miles": 80,
     "accepts": {"donation_categories": ["water", "non_perishable_food", "hygiene", "cleaning_supplies",
                                         "infant_supplies", "new_clothing", "cash"],
                 "cash_url": "https://example.org/coastal-bend-relief"},
     "capacity": {"pallets": 120},
     "protocols": [{"incident_types": ["Hurricane", "Tropical Storm", "Flood"], "ack_hours": 24,
                    "donation_categories": ["water", "non_perishable_food", "hygiene", "cleaning_supplies",
                                            "infant_supplies"],
                    "mou": "Multi-agency warehouse for the Coastal Bend (demo)"}]},
    {"slug": "swla-voad", "name": "Southwest Louisiana VOAD (demo)", "kind": "voad_member",
     "counties": ["22019", "22023", "22011"], "location": {"zip": "70601"}, "radius_miles": 50,
     "accepts": {"skills": ["mental_health", "animal_care", "childcare"],
                 "donation_categories": ["pet_supplies", "bedding", "cash"],
                 "cash_url": "https://example.org/swla-voad"},
     "protocols": [{"incident_types": ["Hurricane", "Flood", "Severe Storm", "Tornado"], "ack_hours": 24,
                    "skills": ["mental_health", "animal_care"], "donation_categories": ["pet_supplies", "cash"]}]},
]


def load_clearinghouses(session: Session, *, actor: Principal) -> list[str]:
    for body in CLEARINGHOUSES:
        if not clearinghouses.exists(session, slug=body["slug"]):
            clearinghouses.create(session, data=validate(ClearinghouseIn, body), actor=actor.actor)
    return [body["slug"] for body in CLEARINGHOUSES]


def load_needs(session: Session, *, actor: Principal, now) -> None:
    """The exercise's needs lists, written once (a list someone has since changed is left as it is)."""
    for slug, items in NEEDS.items():
        if needs.get(session, incident_slug=EXERCISE["slug"], clearinghouse_slug=slug).items:
            continue
        if linkages.state_of(session, incident_slug=EXERCISE["slug"], clearinghouse_slug=slug)[1] is None:
            continue  # an older demo database whose exercise was activated before it had clearinghouses
        needs_lists.put_list(session, incident_slug=EXERCISE["slug"], clearinghouse_slug=slug,
                             data=validate(NeedsIn, {"items": items}), actor=actor, now=now)
