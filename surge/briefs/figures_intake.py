"""A brief's volunteer and donation figures: everyone registered up to the period's end, with what came in
during the period, and where each stands now (referred, accepted, fulfilled, in reserve, on file)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import distinct, func
from sqlmodel import Session, select

from surge.intake.models import Donation, DonationItem, IntakeStatus, Referral, ReferralState, Volunteer

ACCEPTED = (ReferralState.ACCEPTED.value, ReferralState.FULFILLED.value)


def _count(session: Session, query) -> int:
    return int(session.exec(query).one() or 0)


def _referred(session: Session, column, incident_slug: str, states: tuple[str, ...] | None = None) -> int:
    query = select(func.count(distinct(column))).where(Referral.incident_slug == incident_slug, column.is_not(None))
    if states is not None:
        query = query.where(Referral.state.in_(states))
    return _count(session, query)


def volunteers(session: Session, *, incident_slug: str, start: datetime, end: datetime) -> dict:
    mine = (Volunteer.incident_slug == incident_slug, Volunteer.created_at < end)
    registered = _count(session, select(func.count()).select_from(Volunteer).where(*mine))
    skills = Counter(skill for row in session.exec(select(Volunteer.skills).where(*mine)).all() for skill in row)
    column = Referral.volunteer_id
    return {
        "no_data": registered == 0,
        "registered": registered,
        "new_in_period": _count(session, select(func.count()).select_from(Volunteer).where(
            *mine, Volunteer.created_at >= start)),
        "referred": _referred(session, column, incident_slug),
        "accepted": _referred(session, column, incident_slug, ACCEPTED),
        "fulfilled": _referred(session, column, incident_slug, (ReferralState.FULFILLED.value,)),
        "reserve": _count(session, select(func.count()).select_from(Volunteer).where(
            *mine, Volunteer.status == IntakeStatus.RESERVE.value)),
        "by_skill": [{"skill": skill, "volunteers": count} for skill, count in sorted(skills.items())],
    }


def donations(session: Session, *, incident_slug: str, start: datetime, end: datetime) -> dict:
    mine = (Donation.incident_slug == incident_slug, Donation.created_at < end)
    offers = _count(session, select(func.count()).select_from(Donation).where(*mine))
    items = session.exec(select(DonationItem.category, DonationItem.status).join(
        Donation, Donation.id == DonationItem.donation_id).where(*mine)).all()
    by_category = Counter(category for category, _ in items)
    pledges = session.exec(select(func.count(), func.coalesce(func.sum(Donation.cash_pledge), 0)).where(
        *mine, Donation.cash_pledge.is_not(None), Donation.cash_pledge > 0)).one()
    value = session.exec(select(func.coalesce(func.sum(Donation.estimated_value), 0)).where(*mine)).one()
    column = Referral.donation_item_id
    return {
        "no_data": offers == 0,
        "offered": offers,
        "new_in_period": _count(session, select(func.count()).select_from(Donation).where(
            *mine, Donation.created_at >= start)),
        "items": len(items),
        "items_referred": _referred(session, column, incident_slug),
        "items_accepted": _referred(session, column, incident_slug, ACCEPTED),
        "items_on_file": sum(1 for _, status in items if status == IntakeStatus.ON_FILE.value),
        "cash_redirected": {"pledges": int(pledges[0]), "amount": round(float(pledges[1]), 2)},
        "by_category": [{"category": category, "items": count} for category, count in sorted(by_category.items())],
        "estimated_value": round(float(value), 2),
    }
