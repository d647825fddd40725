"""Taking a donation offer: each item referred to a clearinghouse that needs it, or kept on file; money is
sent to the linked clearinghouses' giving links and counted.

A donor may rightly offer twice (a second truck), so offers are not merged by contact as volunteers are; a
retried request is caught by its Idempotency-Key or form token instead.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from clearinghouse.matching import Seeker
from surge.access.principal import Principal
from surge.intake import people, places, referring
from surge.intake.forms import DonationIn, IntakeOut, ReferralBrief
from surge.intake.models import Donation, DonationItem, IntakeStatus, Referral, Source
from surge.intake.volunteers import OPEN
from surge.kernel.i18n import N_, translate


def seeker_of(item: DonationItem, donation: Donation) -> Seeker:
    # Goods travel to the clearinghouse, so only its own radius (or its service area) counts.
    return Seeker(kind="item", codes=(item.category,), lat=donation.lat, lon=donation.lon, county=donation.county,
                  travel_miles=None, languages=frozenset(), language_matters=False)


def summary(item: DonationItem, donation: Donation) -> dict:
    return {"category": item.category, "description": item.description, "quantity": item.quantity,
            "unit": item.unit, "condition": item.condition, "packaging": item.packaging,
            "perishable": item.perishable, "expiry": item.expiry.isoformat() if item.expiry else None,
            "county": donation.county, "zip": donation.zip, "can_deliver": donation.can_deliver,
            "donor_type": donation.donor_type}


def match_item(session: Session, item: DonationItem, donation: Donation, *, now: datetime) -> list[Referral]:
    """Refer an item with no open referral to the best clearinghouse not tried yet; the item's status follows
    (matched or on file), and the offer's with it."""
    referrals = list(session.exec(select(Referral).where(Referral.donation_item_id == item.id).order_by(Referral.id)))
    if not any(r.state in OPEN for r in referrals):
        tried = frozenset(r.clearinghouse_slug for r in referrals)
        referrals += referring.refer(session, incident_slug=donation.incident_slug, seeker=seeker_of(item, donation),
                                     kind="item", now=now, summary=summary(item, donation),
                                     donation_item_id=item.id, exclude=tried)
    item.status = (IntakeStatus.MATCHED if any(r.state in OPEN for r in referrals) else IntakeStatus.ON_FILE).value
    session.add(item)
    session.flush()
    others = session.exec(select(DonationItem.status).where(DonationItem.donation_id == donation.id)).all()
    donation.status = (IntakeStatus.MATCHED if IntakeStatus.MATCHED.value in others else IntakeStatus.ON_FILE).value
    session.add(donation)
    return referrals


def _next_step(status: str, *, cash_only: bool) -> str:
    if cash_only:
        return N_("Thank you for your gift. Give it through one of these agencies' own pages:")
    if status == IntakeStatus.MATCHED:
        return N_("Thank you. An agency that needs what you offer will contact you about delivery. Please do not "
                  "send anything before it does.")
    return N_("Thank you. What you offer is not needed right now, so please do not send it: we keep your offer on "
              "file and will contact you if a need appears. Cash is best: it lets agencies buy exactly what is "
              "needed, close to the people who need it.")


def offer(session: Session, *, incident_slug: str, data: DonationIn, source: Source, actor: Principal,
          now: datetime, language: str = "en") -> IntakeOut:
    incident = people.open_incident(session, incident_slug)
    lat, lon, county = people.locate(data.zip)
    donation = Donation(reference=people.new_reference("D"), incident_slug=incident_slug, donor_type=data.donor_type.value,
                        name=data.name, organisation=data.organisation, phone=data.phone, email=data.email,
                        zip=data.zip, address=data.address, lat=lat, lon=lon, county=county,
                        can_deliver=data.can_deliver, available_from=data.available_from,
                        available_to=data.available_to, estimated_value=data.estimated_value,
                        cash_pledge=data.cash_pledge, source=source.value, taken_by=people.taker(actor),
                        language=language, created_at=now, updated_at=now)
    session.add(donation)
    session.flush()
    referrals: list[Referral] = []
    for given in data.items:
        item = DonationItem(donation_id=donation.id, **given.model_dump(mode="python"))
        item.condition, item.packaging = given.condition.value, given.packaging.value
        session.add(item)
        session.flush()
        referrals += match_item(session, item, donation, now=now)
    donation.status = (IntakeStatus.MATCHED if referrals else IntakeStatus.ON_FILE).value
    session.add(donation)
    cash = list(places.snapshot(session, incident_slug, stamp=incident.place_stamp).cash_links)
    text = translate(language, N_("Your donation offer for %(incident)s has the reference %(reference)s."),
                     incident=incident.name, reference=donation.reference)
    text += "\n\n" + translate(language, _next_step(donation.status, cash_only=not data.items))
    if cash:
        text += "\n\n" + "\n".join(cash)
    people.confirm(session, email=donation.email, reference=donation.reference, incident=incident, text=text,
                   language=language, now=now)
    return IntakeOut(id=donation.id, reference=donation.reference, kind="donation", status=donation.status,
                     updated=False, referrals=[ReferralBrief(id=r.id, clearinghouse=r.clearinghouse_slug,
                                                             state=r.state, code=r.code) for r in referrals],
                     cash_links=cash)
