"""Handling referrals: a clearinghouse acknowledges, accepts, declines, fulfils or releases its own; managers
read them all and may release (cancel) any. Each change stamps its time, is audited, and tells the
clearinghouse through the outbox in the same transaction. A declined or expired referral sends the person on
to the next clearinghouse not tried yet.

A clearinghouse never learns that another's referral exists: asking for one answers 404. After stand-down
(no new referrals) a clearinghouse still finishes the ones it has.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.access.roles import Role
from surge.intake import referral_notices, rematch
from surge.intake.models import Referral, ReferralState
from surge.intake.referral_forms import ContactOut, ReferralOut, ReferralPage
from surge.intake.referral_states import SHOWS_CONTACT, STAMP, Action, Refused, Why, step
from surge.intake.referral_subjects import Subject, subject_of, subjects_of
from surge.kernel import audit
from surge.kernel.errors import Conflict, Forbidden, NotFound, ValidationFailed
from surge.kernel.i18n import N_

TARGET = {Action.ACKNOWLEDGE: "acknowledged", Action.ACCEPT: "accepted", Action.DECLINE: "declined",
          Action.FULFILL: "fulfilled", Action.RELEASE: "released"}


def _own(actor: Principal, referral: Referral) -> bool:
    return actor.role == Role.CLEARINGHOUSE and actor.clearinghouse_slug == referral.clearinghouse_slug


def _load(session: Session, referral_id: int, actor: Principal) -> Referral:
    permissions.require(actor, permissions.READ_REFERRALS)
    referral = session.get(Referral, referral_id)
    # Another clearinghouse's referral is answered as missing: its existence is not theirs to know.
    if referral is None or (actor.role == Role.CLEARINGHOUSE and not _own(actor, referral)):
        raise NotFound(N_("There is no referral %(id)s."), params={"id": referral_id})
    return referral


def _refusal(error: Refused, referral: Referral, action: Action) -> Exception:
    if error.kind == "state":
        return Conflict(N_("Referral %(id)s is %(state)s, so it cannot become %(to)s."),
                        params={"id": referral.id, "state": referral.state, "to": TARGET[action]})
    if error.kind == "reason":
        return ValidationFailed(N_("Say why."), fields={"reason": N_("A reason is required to decline or release.")})
    return ValidationFailed(N_("Say why it is released."), fields={"why": N_(
        "Use expired or cancelled; no_show only after the referral was accepted.")})


def transition(session: Session, referral: Referral, action: Action, *, actor: str, now: datetime,
               reason: str = "", why: Why | str | None = None) -> Subject:
    """Move a referral on (the caller has checked who may), audit it, tell the clearinghouse, and refer the
    person onwards when it was declined or expired. Answers who the referral is about."""
    before = referral.state
    try:
        after = step(before, action, reason=reason, why=why)
    except Refused as error:
        raise _refusal(error, referral, action) from None
    referral.state = after.value
    setattr(referral, STAMP[after], now)
    if action is Action.ACCEPT and referral.acknowledged_at is None:
        referral.acknowledged_at = now  # accepting acknowledges
    if action in (Action.DECLINE, Action.RELEASE):
        referral.reason = reason.strip()
    if action is Action.RELEASE:
        referral.released_why = Why(why).value
    referral.remind_at = None  # no reminder once it moved on
    referral.updated_at, referral.updated_by = now, actor[:400]
    session.add(referral)
    session.flush()
    audit.record(session, actor=actor, action=f"referral.{action.value}", target_type="referral",
                 target_id=referral.id, diff={"from": before, "to": after.value, "reason": referral.reason,
                                              "why": referral.released_why})
    subject = subject_of(session, referral)
    referral_notices.changed(session, referral, subject, now=now)
    if after is ReferralState.DECLINED or (after is ReferralState.RELEASED and referral.released_why == Why.EXPIRED):
        rematch.onwards(session, referral, now=now)
    return subject


def view(session: Session, referral: Referral, subject: Subject, *, actor: Principal, contact: bool) -> ReferralOut:
    """The answer; contact details only when asked for, once accepted, to its clearinghouse or a manager,
    and each such answer audited."""
    shown = None
    if contact and referral.state in SHOWS_CONTACT and (
            _own(actor, referral) or permissions.allows(actor, permissions.CANCEL_REFERRALS)):
        shown = ContactOut(**subject.contact)
        audit.record(session, actor=actor.actor, action="contact.view", target_type="referral",
                     target_id=referral.id, diff={"person": subject.person})
    r = referral
    return ReferralOut(id=r.id, incident=r.incident_slug, clearinghouse=r.clearinghouse_slug, kind=subject.kind,
                       code=r.code, state=r.state, reason=r.reason, released_why=r.released_why,
                       distance_miles=r.distance_miles, sent_at=r.sent_at, ack_due_at=r.ack_due_at,
                       acknowledged_at=r.acknowledged_at, accepted_at=r.accepted_at, declined_at=r.declined_at,
                       fulfilled_at=r.fulfilled_at, released_at=r.released_at, updated_at=r.updated_at,
                       summary=subject.summary, contact=shown)


def act(session: Session, *, referral_id: int, action: Action, actor: Principal, now: datetime, reason: str = "",
        why: str | None = None) -> ReferralOut:
    referral = _load(session, referral_id, actor)
    if not _own(actor, referral):
        # Managers only cancel; everything else is the referral's own clearinghouse's to do.
        if action is not Action.RELEASE or not permissions.allows(actor, permissions.CANCEL_REFERRALS):
            raise Forbidden(N_("Only the referral's clearinghouse may do that."))
    subject = transition(session, referral, action, actor=actor.actor, now=now, reason=reason, why=why)
    return view(session, referral, subject, actor=actor, contact=True)


def get(session: Session, *, referral_id: int, actor: Principal) -> ReferralOut:
    referral = _load(session, referral_id, actor)
    return view(session, referral, subject_of(session, referral), actor=actor, contact=True)


def page(session: Session, *, actor: Principal, incident: str | None = None, state: str | None = None,
         clearinghouse: str | None = None, limit: int = 50, offset: int = 0) -> ReferralPage:
    """Newest first; a clearinghouse sees only its own, whatever it asks for."""
    permissions.require(actor, permissions.READ_REFERRALS)
    if actor.role == Role.CLEARINGHOUSE:
        clearinghouse = actor.clearinghouse_slug
    query = select(Referral).order_by(Referral.id.desc()).offset(offset).limit(limit + 1)
    if incident:
        query = query.where(Referral.incident_slug == incident)
    if state:
        query = query.where(Referral.state == state)
    if clearinghouse:
        query = query.where(Referral.clearinghouse_slug == clearinghouse)
    rows = list(session.exec(query))
    more = len(rows) > limit
    rows = rows[:limit]
    subjects = subjects_of(session, rows)
    return ReferralPage(items=[view(session, r, subjects[r.id], actor=actor, contact=False) for r in rows],
                        limit=limit, offset=offset, next_offset=offset + limit if more else None)
