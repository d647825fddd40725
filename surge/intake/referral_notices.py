"""What a clearinghouse (and, for an escalation, its escalation contact) is told about a referral, through the
outbox in the caller's transaction, in the clearinghouse's language. Contact details travel only once the
clearinghouse has accepted."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from clearinghouse.models import Clearinghouse
from clearinghouse.protocol_models import ClearinghouseProtocol
from surge.incidents.linkage_models import IncidentLinkage
from surge.intake.models import Referral, ReferralState
from surge.intake.referral_states import SHOWS_CONTACT
from surge.intake.referral_subjects import Subject
from surge.kernel.i18n import N_, translate, written_for
from surge.outbox import enqueue
from surge.outbox.enqueue import Notice
from surge.outbox.models import Channel

TEXTS = {
    ReferralState.ACKNOWLEDGED: N_("Referral %(id)s (%(code)s) is acknowledged."),
    ReferralState.ACCEPTED: N_("Referral %(id)s (%(code)s) is accepted: the person's contact details are in the "
                               "clearinghouse portal. Please get in touch soon."),
    ReferralState.DECLINED: N_("Referral %(id)s (%(code)s) is declined: %(reason)s"),
    ReferralState.FULFILLED: N_("Referral %(id)s (%(code)s) is fulfilled. Thank you."),
    ReferralState.RELEASED: N_("Referral %(id)s (%(code)s) is released (%(why)s): %(reason)s"),
}


def payload(referral: Referral, subject: Subject) -> dict:
    """The webhook body: state and summary always; the person's contact details only from acceptance on."""
    body = {"referral": {"id": referral.id, "state": referral.state, "incident": referral.incident_slug,
                         "clearinghouse": referral.clearinghouse_slug, "code": referral.code, "kind": subject.kind,
                         "reason": referral.reason, "released_why": referral.released_why,
                         "ack_due_at": referral.ack_due_at.isoformat() if referral.ack_due_at else None},
            "summary": subject.summary}
    if referral.state in SHOWS_CONTACT:
        body["contact"] = subject.contact
    return body


def _send(session: Session, clearinghouse: Clearinghouse, *, key: str, notice: Notice, now: datetime) -> None:
    enqueue.write(session, enqueue.clearinghouse_rows(clearinghouse, key=key, notice=notice, now=now))


def _told(session: Session, referral: Referral) -> tuple[Clearinghouse, str]:
    """The referral's clearinghouse, and the language it is written to in."""
    clearinghouse = session.get(Clearinghouse, referral.clearinghouse_slug)
    return clearinghouse, written_for(clearinghouse.languages)


def changed(session: Session, referral: Referral, subject: Subject, *, now: datetime) -> None:
    """Tell the clearinghouse of the referral's new state; once per referral and state."""
    clearinghouse, language = _told(session, referral)
    text = translate(language, TEXTS[ReferralState(referral.state)], id=referral.id, code=referral.code,
                     reason=referral.reason, why=referral.released_why or "")
    notice = Notice(topic=f"referral.{referral.state}", text=text, payload=payload(referral, subject),
                    subject=translate(language, N_("Referral %(id)s: %(state)s"), id=referral.id,
                                      state=referral.state))
    _send(session, clearinghouse, key=f"referral:{referral.id}:{referral.state}", notice=notice, now=now)


def reminder(session: Session, referral: Referral, subject: Subject, *, now: datetime) -> None:
    """Halfway to the acknowledgement deadline, once."""
    clearinghouse, language = _told(session, referral)
    text = translate(language, N_("Referral %(id)s (%(code)s) waits for your acknowledgement; it is released to "
                                  "another agency at %(due)s UTC."), id=referral.id, code=referral.code,
                     due=referral.ack_due_at.strftime("%Y-%m-%d %H:%M") if referral.ack_due_at else "")
    notice = Notice(topic="referral.reminder", text=text, payload=payload(referral, subject),
                    subject=translate(language, N_("Reminder: referral %(id)s"), id=referral.id))
    _send(session, clearinghouse, key=f"referral:{referral.id}:reminder", notice=notice, now=now)


def escalation_contact(session: Session, referral: Referral) -> dict:
    """The escalation contact of the protocol that linked the clearinghouse to the incident ({} when none)."""
    found = session.exec(select(ClearinghouseProtocol.escalation).join(
        IncidentLinkage, IncidentLinkage.protocol_id == ClearinghouseProtocol.id).where(
        IncidentLinkage.incident_slug == referral.incident_slug,
        IncidentLinkage.clearinghouse_slug == referral.clearinghouse_slug)).first()
    return found or {}


def escalated(session: Session, referral: Referral, *, now: datetime) -> bool:
    """E-mail the escalation contact that a referral went unacknowledged; False when there is no address."""
    contact = escalation_contact(session, referral)
    if not contact.get("email"):
        return False
    _, language = _told(session, referral)  # the contact works beside the clearinghouse
    text = translate(language, N_("%(clearinghouse)s did not acknowledge referral %(id)s (%(code)s, incident "
                                  "%(incident)s) by its deadline, so it was released and the person referred onwards "
                                  "where possible. Please check that referrals are being answered."),
                     clearinghouse=referral.clearinghouse_slug, id=referral.id, code=referral.code,
                     incident=referral.incident_slug)
    notice = Notice(topic="referral.escalation", text=text,
                    subject=translate(language, N_("Unacknowledged referral %(id)s"), id=referral.id))
    enqueue.write(session, [enqueue.message_row(key=f"referral:{referral.id}:escalation", channel=Channel.EMAIL,
                                                recipient=contact["email"], notice=notice, now=now)])
    return True
