"""Registering a volunteer: one record a person an incident, referred by protocol or kept in reserve."""

from __future__ import annotations

import functools
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import bindparam, insert, or_
from sqlmodel import Session, select

from clearinghouse.matching import Seeker
from surge.access.principal import Principal
from surge.intake import people, places, referring
from surge.intake.forms import IntakeOut, ReferralBrief, VolunteerIn, email_key, phone_key
from surge.intake.models import IntakeStatus, Referral, ReferralState, Source, Volunteer
from surge.kernel import audit
from surge.kernel.i18n import N_, translate

OPEN = (ReferralState.SENT.value, ReferralState.ACKNOWLEDGED.value, ReferralState.ACCEPTED.value)
# Skills where the language a person speaks is the point of the work.
LANGUAGE_SKILLS = frozenset({"interpreter"})


_INSERT = insert(Volunteer.__table__).returning(Volunteer.__table__.c.id)


@functools.lru_cache(maxsize=4)
def _same_person_statement(by_phone: bool, by_email: bool):
    volunteers = Volunteer.__table__.c
    keys = [volunteers.phone_key == bindparam("phone")] if by_phone else []
    keys += [volunteers.email_key == bindparam("email")] if by_email else []
    return (select(volunteers.id).where(volunteers.incident_slug == bindparam("incident"), or_(*keys))
            .order_by(volunteers.id).limit(1))


@functools.lru_cache(maxsize=4)
def _incident_and_same_person_statement(by_phone: bool, by_email: bool):
    """The open incident and the id of this person's record in it, in one round trip."""
    return people.incident_statement(_same_person_statement(by_phone, by_email).scalar_subquery().label("same_person"))


def _incident_and_same_person(session: Session, incident_slug: str, phone: str | None,
                              email: str | None) -> tuple[people.OpenIncident, int | None]:
    """The incident (see `people.open_incident`) and the id of its record of this phone or e-mail, if any; the
    record itself is read only then, since most people are new."""
    found = session.execute(_incident_and_same_person_statement(bool(phone), bool(email)),
                            {"slug": incident_slug, "incident": incident_slug, "phone": phone, "email": email}).first()
    return people.checked_incident(incident_slug, found), found.same_person


def _fields(data: VolunteerIn, *, lat, lon, county: str, now: datetime, before: dict | None = None) -> dict:
    """Every field a registration writes; `before`: the consents the record held."""
    # Each consent keeps the time it was first given; one withdrawn is dropped.
    before = before or {}
    return {"name": data.name, "phone": data.phone, "email": data.email, "phone_key": phone_key(data.phone),
            "email_key": email_key(data.email), "preferred_contact": data.preferred_contact.value, "zip": data.zip,
            "address": data.address, "lat": lat, "lon": lon, "county": county, "travel_miles": data.travel_miles,
            "skills": data.skills, "certifications": data.certifications, "languages": data.languages,
            "availability": data.availability.model_dump(mode="json", by_alias=True, exclude_none=True),
            "organisation": data.organisation, "adult": data.adult, "guardian": data.guardian,
            "activity": data.activity.value, "updated_at": now,
            "consents": {name: before.get(name, now.isoformat())
                         for name, yes in data.consents.model_dump().items() if yes}}


def seeker_of(row: Volunteer) -> Seeker:
    return Seeker(kind="volunteer", codes=tuple(row.skills), lat=row.lat, lon=row.lon, county=row.county,
                  travel_miles=row.travel_miles, languages=frozenset(row.languages),
                  language_matters=bool(LANGUAGE_SKILLS & set(row.skills)) or "en" not in row.languages)


def summary(row: Volunteer) -> dict:
    """What a clearinghouse sees before it accepts: skills, area and availability, never contact details."""
    return {"skills": row.skills, "certifications": row.certifications, "languages": row.languages,
            "county": row.county, "zip": row.zip, "travel_miles": row.travel_miles, "availability": row.availability,
            "activity": row.activity, "adult": row.adult, "organisation": row.organisation}


def _open_referrals(session: Session, volunteer_id: int) -> list[Referral]:
    return list(session.exec(select(Referral).where(Referral.volunteer_id == volunteer_id).order_by(Referral.id)))


def answer(row: Volunteer, referrals: list[Referral], *, updated: bool, cash: list[str]) -> IntakeOut:
    return IntakeOut(id=row.id, reference=row.reference, kind="volunteer", status=row.status, updated=updated,
                     referrals=[ReferralBrief(id=r.id, clearinghouse=r.clearinghouse_slug, state=r.state, code=r.code)
                                for r in referrals], cash_links=cash)


def match(session: Session, row: Volunteer, *, now: datetime) -> list[Referral]:
    """Refer a volunteer with no open referral; the status follows (matched or reserve)."""
    referrals = _open_referrals(session, row.id)
    if not any(r.state in OPEN for r in referrals):
        tried = frozenset(r.clearinghouse_slug for r in referrals)
        referrals += referring.refer(session, incident_slug=row.incident_slug, seeker=seeker_of(row),
                                     kind="volunteer", now=now, summary=summary(row), volunteer_id=row.id,
                                     exclude=tried)
    row.status = (IntakeStatus.MATCHED if any(r.state in OPEN for r in referrals) else IntakeStatus.RESERVE).value
    session.add(row)
    return referrals


def _register_new(session: Session, data: VolunteerIn, *, incident_slug: str, source: Source, actor: Principal,
                  found: places.Snapshot, lat, lon, county: str, now: datetime) -> tuple[SimpleNamespace, list]:
    """Someone new: chosen for first, so the record is written once, with its status, in one statement.

    The record is read back as plain attributes, not as a table object: building one costs more than the insert,
    and nothing changes it later in the request."""
    values = {"reference": people.new_reference("V"), "incident_slug": incident_slug, "source": source.value,
              "taken_by": people.taker(actor), "created_at": now,
              **_fields(data, lat=lat, lon=lon, county=county, now=now)}
    row = SimpleNamespace(id=None, **values)
    best = referring.choose(session, incident_slug=incident_slug, seeker=seeker_of(row), kind="volunteer", now=now,
                            found=found)
    row.status = values["status"] = (IntakeStatus.MATCHED if best else IntakeStatus.RESERVE).value
    row.id = session.execute(_INSERT, values).scalar_one()
    referrals = referring.send(session, best, incident_slug=incident_slug, kind="volunteer", now=now,
                               summary=summary(row), volunteer_id=row.id, found=found)
    return row, referrals


def register(session: Session, *, incident_slug: str, data: VolunteerIn, source: Source, actor: Principal,
             now: datetime, language: str = "en") -> IntakeOut:
    incident, same_person = _incident_and_same_person(session, incident_slug, phone_key(data.phone),
                                                     email_key(data.email))
    lat, lon, county = people.locate(data.zip)
    found = places.snapshot(session, incident_slug, stamp=incident.place_stamp)
    row = None if same_person is None else session.get(Volunteer, same_person)
    updated = row is not None
    if updated:
        for name, value in _fields(data, lat=lat, lon=lon, county=county, now=now, before=row.consents).items():
            setattr(row, name, value)
        referrals = match(session, row, now=now)
        session.flush()
        audit.record(session, actor=actor.actor, action="volunteer.merge", target_type="volunteer",
                     target_id=str(row.id), diff={"incident": incident_slug, "source": source.value,
                                                  "skills": row.skills})
    else:  # who took it in is on the record itself (`taken_by`): one write fewer on the busiest path of a surge
        row, referrals = _register_new(session, data, incident_slug=incident_slug, source=source, actor=actor,
                                       found=found, lat=lat, lon=lon, county=county, now=now)
    next_step = (N_("Thank you. A volunteer agency will contact you; please do not go to the affected area until "
                    "it does.") if row.status == IntakeStatus.MATCHED else
                 N_("Thank you. No agency needs your skills right now; we keep your registration and will refer you "
                    "when a need appears."))
    people.confirm(session, email=row.email, reference=row.reference, incident=incident, language=language, now=now,
                   text=translate(language, N_("Your volunteer registration for %(incident)s has the reference "
                                               "%(reference)s."), incident=incident.name, reference=row.reference)
                   + "\n\n" + translate(language, next_step))
    return answer(row, referrals, updated=updated, cash=list(found.cash_links))
