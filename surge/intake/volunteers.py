"""Registering a volunteer: one record a person an incident, referred by protocol or kept in reserve."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_
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


def _same_person(session: Session, incident_slug: str, phone: str | None, email: str | None) -> Volunteer | None:
    keys = [Volunteer.phone_key == phone] if phone else []
    keys += [Volunteer.email_key == email] if email else []
    return session.exec(select(Volunteer).where(Volunteer.incident_slug == incident_slug, or_(*keys))
                        .order_by(Volunteer.id)).first()


def _apply(row: Volunteer, data: VolunteerIn, *, lat, lon, county: str, now: datetime) -> None:
    row.name, row.phone, row.email = data.name, data.phone, data.email
    row.phone_key, row.email_key = phone_key(data.phone), email_key(data.email)
    row.preferred_contact = data.preferred_contact.value
    row.zip, row.address, row.lat, row.lon, row.county = data.zip, data.address, lat, lon, county
    row.travel_miles, row.skills, row.certifications = data.travel_miles, data.skills, data.certifications
    row.languages = data.languages
    row.availability = data.availability.model_dump(mode="json", by_alias=True, exclude_none=True)
    row.organisation, row.adult, row.guardian, row.activity = (data.organisation, data.adult, data.guardian,
                                                               data.activity.value)
    # Each consent keeps the time it was first given; one withdrawn is dropped.
    before = row.consents or {}
    row.consents = {name: before.get(name, now.isoformat()) for name, yes in data.consents.model_dump().items() if yes}
    row.updated_at = now


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


def register(session: Session, *, incident_slug: str, data: VolunteerIn, source: Source, actor: Principal,
             now: datetime, language: str = "en") -> IntakeOut:
    incident = people.open_incident(session, incident_slug)
    lat, lon, county = people.locate(data.zip)
    found = places.snapshot(session, incident_slug)
    row = _same_person(session, incident_slug, phone_key(data.phone), email_key(data.email))
    updated = row is not None
    if row is None:
        row = Volunteer(reference=people.new_reference("V"), incident_slug=incident_slug, name=data.name,
                        source=source.value, created_at=now)
    _apply(row, data, lat=lat, lon=lon, county=county, now=now)
    if updated:
        referrals = match(session, row, now=now)
    else:
        # Someone new has no referrals yet: choose first, so the record is written once, with its status.
        best = referring.choose(session, incident_slug=incident_slug, seeker=seeker_of(row), kind="volunteer",
                                now=now, found=found)
        row.status = (IntakeStatus.MATCHED if best else IntakeStatus.RESERVE).value
        session.add(row)
        session.flush()
        referrals = referring.send(session, best, incident_slug=incident_slug, kind="volunteer", now=now,
                                   summary=summary(row), volunteer_id=row.id, found=found)
    session.flush()
    audit.record(session, actor=actor.actor, action="volunteer.merge" if updated else "volunteer.register",
                 target_type="volunteer", target_id=str(row.id),
                 diff={"incident": incident_slug, "source": source.value, "skills": row.skills})
    next_step = (N_("Thank you. A volunteer agency will contact you; please do not go to the affected area until "
                    "it does.") if row.status == IntakeStatus.MATCHED else
                 N_("Thank you. No agency needs your skills right now; we keep your registration and will refer you "
                    "when a need appears."))
    people.confirm(session, email=row.email, reference=row.reference, incident=incident, language=language, now=now,
                   text=translate(language, N_("Your volunteer registration for %(incident)s has the reference "
                                               "%(reference)s."), incident=incident.name, reference=row.reference)
                   + "\n\n" + translate(language, next_step))
    return answer(row, referrals, updated=updated, cash=list(found.cash_links))
