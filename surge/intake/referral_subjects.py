"""Who a referral is about, as referrals show it: the summary a clearinghouse always sees, and the contact
details it sees only after accepting. Read in one or two queries for a whole page of referrals."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from surge.intake import donations, volunteers
from surge.intake.models import Donation, DonationItem, Referral, Volunteer


@dataclass(frozen=True)
class Subject:
    kind: str  # volunteer | donation_item
    person: str  # "volunteer:<id>" or "donation:<id>": what an audit of a contact view names
    summary: dict
    contact: dict


def _volunteer(row: Volunteer) -> Subject:
    return Subject(kind="volunteer", person=f"volunteer:{row.id}", summary=volunteers.summary(row),
                   contact={"name": row.name, "phone": row.phone, "email": row.email,
                            "preferred_contact": row.preferred_contact})


def _item(item: DonationItem, donation: Donation) -> Subject:
    return Subject(kind="donation_item", person=f"donation:{donation.id}", summary=donations.summary(item, donation),
                   contact={"name": donation.name, "organisation": donation.organisation, "phone": donation.phone,
                            "email": donation.email, "preferred_contact": "email" if donation.email else "phone"})


def subjects_of(session: Session, referrals: list[Referral]) -> dict[int, Subject]:
    """referral id -> its subject."""
    volunteer_ids = {r.volunteer_id for r in referrals if r.volunteer_id is not None}
    item_ids = {r.donation_item_id for r in referrals if r.donation_item_id is not None}
    people = {row.id: row for row in session.exec(select(Volunteer).where(Volunteer.id.in_(volunteer_ids)))} \
        if volunteer_ids else {}
    items = {item.id: (item, donation) for item, donation in session.exec(
        select(DonationItem, Donation).join(Donation, Donation.id == DonationItem.donation_id)
        .where(DonationItem.id.in_(item_ids)))} if item_ids else {}
    found = {}
    for r in referrals:
        if r.volunteer_id in people:
            found[r.id] = _volunteer(people[r.volunteer_id])
        elif r.donation_item_id in items:
            found[r.id] = _item(*items[r.donation_item_id])
    return found


def subject_of(session: Session, referral: Referral) -> Subject:
    return subjects_of(session, [referral])[referral.id]
