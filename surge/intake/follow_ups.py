"""Follow-up (National Standard 12): a volunteer or donor whose referral is still sent or accepted after some
days is e-mailed a one-time link asking whether the agency contacted them, and how satisfied they are.

One follow-up a person, ever. The link carries a random token; only its hash is stored, and an answer is
taken once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import exists, update
from sqlmodel import Session, select

from surge.incidents.models import Incident
from surge.intake.models import Donation, DonationItem, FollowUp, Referral, ReferralState, Volunteer
from surge.kernel.errors import NotFound
from surge.kernel.i18n import N_, translate, written_for
from surge.kernel.link_tokens import new_token, token_hash
from surge.outbox import enqueue
from surge.outbox.enqueue import Notice
from surge.outbox.models import Channel

WAITING = (ReferralState.SENT.value, ReferralState.ACCEPTED.value)


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    contacted: bool
    satisfaction: int | None = Field(default=None, ge=1, le=5)
    comment: str = Field(default="", max_length=1000)


def _waiting(person_column, cutoff: datetime):
    """A referral of this person still sent or accepted, sent before the cutoff."""
    return exists().where(person_column, Referral.state.in_(WAITING), Referral.sent_at <= cutoff)


def _ask(session: Session, *, incident_slug: str, email: str, now: datetime, base_url: str, language: str = "en",
         volunteer_id: int | None = None, donation_id: int | None = None) -> None:
    token = new_token()
    session.add(FollowUp(token_hash=token_hash(token), incident_slug=incident_slug, volunteer_id=volunteer_id,
                         donation_id=donation_id, sent_at=now))
    incident = session.get(Incident, incident_slug)
    link = f"{base_url.rstrip('/')}/follow-up/{token}"
    text = translate(language, N_("You offered to help with %(incident)s. Did the agency we referred you to contact "
                              "you? Please tell us in one click, once: %(link)s"), incident=incident.name, link=link)
    notice = Notice(topic="intake.follow_up", subject=translate(language, N_("Did the agency contact you?")),
                    text=text)
    person = f"volunteer:{volunteer_id}" if volunteer_id else f"donation:{donation_id}"
    enqueue.write(session, [enqueue.message_row(key=f"follow-up:{person}", channel=Channel.EMAIL, recipient=email,
                                                notice=notice, now=now)])


def send_due(session: Session, *, now: datetime, days: int, base_url: str, limit: int) -> int:
    """Ask every person due (at most `limit` a run); how many were asked."""
    cutoff = now - timedelta(days=days)
    volunteers = session.exec(select(Volunteer.id, Volunteer.incident_slug, Volunteer.email, Volunteer.languages).where(
        Volunteer.email.is_not(None), _waiting(Referral.volunteer_id == Volunteer.id, cutoff),
        ~exists().where(FollowUp.volunteer_id == Volunteer.id)).order_by(Volunteer.id).limit(limit)).all()
    for volunteer_id, incident_slug, email, languages in volunteers:
        _ask(session, incident_slug=incident_slug, email=email, now=now, base_url=base_url,
             language=written_for(languages), volunteer_id=volunteer_id)
    left = limit - len(volunteers)
    donors = session.exec(select(Donation.id, Donation.incident_slug, Donation.email, Donation.language).where(
        Donation.email.is_not(None),
        exists().where(DonationItem.donation_id == Donation.id, Referral.donation_item_id == DonationItem.id,
                       Referral.state.in_(WAITING), Referral.sent_at <= cutoff),
        ~exists().where(FollowUp.donation_id == Donation.id)).order_by(Donation.id).limit(max(left, 0))).all()
    for donation_id, incident_slug, email, language in donors:  # in the language the offer was made in
        _ask(session, incident_slug=incident_slug, email=email, now=now, base_url=base_url, language=language,
             donation_id=donation_id)
    return len(volunteers) + len(donors)


def find(session: Session, *, token: str) -> FollowUp:
    found = session.exec(select(FollowUp).where(FollowUp.token_hash == token_hash(token))).first()
    if found is None:
        raise NotFound(N_("This link is not known. It may have been mistyped."))
    return found


def answer(session: Session, *, token: str, data: AnswerIn, now: datetime) -> bool:
    """Record the answer; False when this link was answered before (the first answer stands)."""
    found = find(session, token=token)
    # Conditional on no answer yet, so two clicks at once keep exactly one.
    done = session.execute(update(FollowUp).where(FollowUp.id == found.id, FollowUp.answered_at.is_(None)).values(
        answered_at=now, contacted=data.contacted, satisfaction=data.satisfaction, comment=data.comment))
    return done.rowcount == 1
