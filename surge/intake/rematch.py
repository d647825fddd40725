"""Matching people again: one person after a declined or expired referral, and an incident's reserve
volunteers and on-file items after its needs or linkages changed (a bounded batch a run, by the jobs).

Only while the incident is active: after stand-down nobody new is referred."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from surge.incidents.models import Incident, Status
from surge.incidents.rematch_marks import RematchRequest
from surge.intake import donations, volunteers
from surge.intake.models import Donation, DonationItem, IntakeStatus, Referral, ReferralState, Volunteer


def _active(session: Session, incident_slug: str) -> bool:
    incident = session.get(Incident, incident_slug)
    return incident is not None and incident.status == Status.ACTIVE


def onwards(session: Session, referral: Referral, *, now: datetime) -> list[Referral]:
    """Refer the person behind a closed referral to the next clearinghouse not tried yet (reserve or on file
    when there is none); the referrals made."""
    if not _active(session, referral.incident_slug):
        return []
    if referral.volunteer_id is not None:
        found = volunteers.match(session, session.get(Volunteer, referral.volunteer_id), now=now)
    else:
        item = session.get(DonationItem, referral.donation_item_id)
        found = donations.match_item(session, item, session.get(Donation, item.donation_id), now=now)
    return [r for r in found if r.state == ReferralState.SENT.value and r.sent_at == now]


def rematch_incident(session: Session, *, mark: RematchRequest, now: datetime, limit: int) -> int:
    """Match up to `limit` reserve volunteers and on-file items after the mark's cursors; moves the cursors on
    and drops the mark once both are through. Answers how many were looked at."""
    seen = 0
    if _active(session, mark.incident_slug):
        people = list(session.exec(select(Volunteer).where(
            Volunteer.incident_slug == mark.incident_slug, Volunteer.status == IntakeStatus.RESERVE.value,
            Volunteer.id > mark.volunteer_cursor).order_by(Volunteer.id).limit(limit)))
        for row in people:
            volunteers.match(session, row, now=now)
            mark.volunteer_cursor = row.id
        seen = len(people)
        if seen < limit:
            items = list(session.exec(select(DonationItem, Donation).join(
                Donation, Donation.id == DonationItem.donation_id).where(
                Donation.incident_slug == mark.incident_slug, DonationItem.status == IntakeStatus.ON_FILE.value,
                DonationItem.id > mark.item_cursor).order_by(DonationItem.id).limit(limit - seen)))
            for item, donation in items:
                donations.match_item(session, item, donation, now=now)
                mark.item_cursor = item.id
            seen += len(items)
        if seen >= limit:  # more may wait: the next run goes on from the cursors
            session.add(mark)
            session.flush()
            return seen
    session.delete(mark)
    session.flush()
    return seen


def run_pending(session: Session, *, now: datetime, limit: int) -> int:
    """Work through the marked incidents, oldest request first, at most `limit` people in all."""
    left = limit
    marks = session.exec(select(RematchRequest).order_by(RematchRequest.requested_at)
                         .with_for_update(skip_locked=True)).all()
    for mark in marks:
        if left <= 0:
            break
        left -= rematch_incident(session, mark=mark, now=now, limit=left)
    return limit - left
