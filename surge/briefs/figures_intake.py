"""A brief's volunteer and donation figures: everyone registered up to the period's end, with what came in
during the period, and where each stands now (referred, accepted, fulfilled, in reserve, on file).

Every figure is counted in the database, a few grouped statements for the whole section: at surge scale an
incident holds a hundred thousand volunteers, and none of them needs to travel to Python to be counted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, distinct, func, text
from sqlmodel import Session, select

from surge.intake.models import Donation, DonationItem, IntakeStatus, Referral, ReferralState, Volunteer
from surge.kernel.clock import UtcDateTime

ACCEPTED = (ReferralState.ACCEPTED.value, ReferralState.FULFILLED.value)
FULFILLED = (ReferralState.FULFILLED.value,)

# One row a skill: the JSON list unnested by each database's own table function.
_SKILLS_SQL = {
    "postgresql": "SELECT skill, COUNT(*) AS volunteers FROM volunteers "
                  "CROSS JOIN LATERAL json_array_elements_text(volunteers.skills) AS skill "
                  "WHERE incident_slug = :incident AND created_at < :end GROUP BY skill ORDER BY skill",
    "sqlite": "SELECT skill.value AS skill, COUNT(*) AS volunteers FROM volunteers, json_each(volunteers.skills) "
              "AS skill WHERE incident_slug = :incident AND created_at < :end GROUP BY skill.value "
              "ORDER BY skill.value",
}


def _referred(session: Session, column, incident_slug: str) -> tuple[int, int, int]:
    """How many distinct people (or items) were referred, had a referral accepted, had one fulfilled."""
    row = session.exec(select(
        func.count(distinct(column)),
        func.count(distinct(column)).filter(Referral.state.in_(ACCEPTED)),
        func.count(distinct(column)).filter(Referral.state.in_(FULFILLED)),
    ).where(Referral.incident_slug == incident_slug, column.is_not(None))).one()
    return int(row[0]), int(row[1]), int(row[2])


def _by_skill(session: Session, *, incident_slug: str, end: datetime) -> list[dict]:
    statement = text(_SKILLS_SQL[session.get_bind().dialect.name]).bindparams(bindparam("end", type_=UtcDateTime()))
    return [{"skill": skill, "volunteers": int(count)}
            for skill, count in session.execute(statement, {"incident": incident_slug, "end": end}).all()]


def volunteers(session: Session, *, incident_slug: str, start: datetime, end: datetime) -> dict:
    registered, new, reserve = session.exec(select(
        func.count(),
        func.count().filter(Volunteer.created_at >= start),
        func.count().filter(Volunteer.status == IntakeStatus.RESERVE.value),
    ).select_from(Volunteer).where(Volunteer.incident_slug == incident_slug, Volunteer.created_at < end)).one()
    referred, accepted, fulfilled = _referred(session, Referral.volunteer_id, incident_slug)
    return {
        "no_data": registered == 0,
        "registered": int(registered),
        "new_in_period": int(new),
        "referred": referred,
        "accepted": accepted,
        "fulfilled": fulfilled,
        "reserve": int(reserve),
        "by_skill": _by_skill(session, incident_slug=incident_slug, end=end) if registered else [],
    }


def donations(session: Session, *, incident_slug: str, start: datetime, end: datetime) -> dict:
    mine = (Donation.incident_slug == incident_slug, Donation.created_at < end)
    pledged = Donation.cash_pledge > 0
    offers, new, pledges, amount, value = session.exec(select(
        func.count(),
        func.count().filter(Donation.created_at >= start),
        func.count().filter(pledged),
        func.coalesce(func.sum(Donation.cash_pledge).filter(pledged), 0),
        func.coalesce(func.sum(Donation.estimated_value), 0),
    ).select_from(Donation).where(*mine)).one()
    items = session.exec(select(DonationItem.category, func.count(),
                                func.count().filter(DonationItem.status == IntakeStatus.ON_FILE.value))
                         .join(Donation, Donation.id == DonationItem.donation_id).where(*mine)
                         .group_by(DonationItem.category).order_by(DonationItem.category)).all()
    referred, accepted, _ = _referred(session, Referral.donation_item_id, incident_slug)
    return {
        "no_data": offers == 0,
        "offered": int(offers),
        "new_in_period": int(new),
        "items": sum(int(count) for _, count, _ in items),
        "items_referred": referred,
        "items_accepted": accepted,
        "items_on_file": sum(int(on_file) for _, _, on_file in items),
        "cash_redirected": {"pledges": int(pledges), "amount": round(float(amount), 2)},
        "by_category": [{"category": category, "items": int(count)} for category, count, _ in items],
        "estimated_value": round(float(value), 2),
    }
