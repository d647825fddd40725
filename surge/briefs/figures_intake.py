"""A brief's volunteer and donation figures: everyone registered up to the period's end, with what came in
during the period, and where each stands now (referred, accepted, fulfilled, in reserve, on file).

Every figure is counted in the database, a few grouped statements for the whole section: at surge scale an
incident holds a hundred thousand volunteers, and none of them needs to travel to Python to be counted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, distinct, func, text
from sqlmodel import Session, select

from surge.intake.models import Donation, DonationItem, IntakeStatus, Referral, ReferralState
from surge.kernel.clock import UtcDateTime

ACCEPTED = (ReferralState.ACCEPTED.value, ReferralState.FULFILLED.value)
FULFILLED = (ReferralState.FULFILLED.value,)

# The volunteers registered by the period's end grouped by their skills list, then each distinct list unnested: the
# counts and every skill's total come from one pass over the volunteers, and only the few distinct lists are
# unnested (an incident's volunteers pick from a short taxonomy), not every volunteer's. The totals come back as
# the row without a skill.
_VOLUNTEERS = """
WITH lists AS (
  SELECT {skills} AS skills, COUNT(*) AS registered,
         COUNT(*) FILTER (WHERE created_at >= :start) AS new_in_period,
         COUNT(*) FILTER (WHERE status = :reserve) AS reserve
  FROM volunteers WHERE incident_slug = :incident AND created_at < :end
  GROUP BY {skills}
)
SELECT NULL AS skill, SUM(registered) AS registered, SUM(new_in_period) AS new_in_period, SUM(reserve) AS reserve
FROM lists
UNION ALL
SELECT {skill}, SUM(registered), NULL, NULL FROM lists, {unnest} GROUP BY {skill}
"""
_VOLUNTEERS_SQL = {
    # PostgreSQL's json type has no equality to group by: its text has.
    "postgresql": _VOLUNTEERS.format(skills="skills::text", skill="skill",
                                     unnest="json_array_elements_text(lists.skills::json) AS skill"),
    "sqlite": _VOLUNTEERS.format(skills="skills", skill="skill.value", unnest="json_each(lists.skills) AS skill"),
}


def _referred(session: Session, column, incident_slug: str) -> tuple[int, int, int]:
    """How many distinct people (or items) were referred, had a referral accepted, had one fulfilled."""
    row = session.exec(select(
        func.count(distinct(column)),
        func.count(distinct(column)).filter(Referral.state.in_(ACCEPTED)),
        func.count(distinct(column)).filter(Referral.state.in_(FULFILLED)),
    ).where(Referral.incident_slug == incident_slug, column.is_not(None))).one()
    return int(row[0]), int(row[1]), int(row[2])


def volunteers(session: Session, *, incident_slug: str, start: datetime, end: datetime) -> dict:
    statement = text(_VOLUNTEERS_SQL[session.get_bind().dialect.name]).bindparams(
        bindparam("start", type_=UtcDateTime()), bindparam("end", type_=UtcDateTime()))
    registered = new = reserve = 0
    by_skill = []
    for skill, count, new_count, reserve_count in session.execute(statement, {
            "incident": incident_slug, "start": start, "end": end, "reserve": IntakeStatus.RESERVE.value}):
        if skill is None:
            registered, new, reserve = int(count or 0), int(new_count or 0), int(reserve_count or 0)
        else:
            by_skill.append({"skill": skill, "volunteers": int(count)})
    referred, accepted, fulfilled = _referred(session, Referral.volunteer_id, incident_slug)
    return {
        "no_data": registered == 0,
        "registered": int(registered),
        "new_in_period": int(new),
        "referred": referred,
        "accepted": accepted,
        "fulfilled": fulfilled,
        "reserve": int(reserve),
        "by_skill": sorted(by_skill, key=lambda item: item["skill"]),
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
