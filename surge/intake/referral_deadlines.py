"""Deadlines of referrals, for the scheduler: each pass handles at most `limit` referrals, oldest first, and is
idempotent (a handled referral leaves the state or clears the column that selected it).

- a `sent` referral past its acknowledgement deadline is released (expired), the person referred onwards,
  and the protocol's escalation contact e-mailed;
- an `accepted` referral not fulfilled within `days` is released (expired);
- a `sent` referral halfway to its deadline reminds its clearinghouse, once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from surge.intake import referral_notices, referrals
from surge.intake.models import Referral, ReferralState
from surge.intake.referral_states import Action, Why
from surge.intake.referral_subjects import subject_of
from surge.kernel.i18n import N_, translate

ACTOR = "system:referral-deadlines"


def _due(session: Session, *conditions, order, limit: int) -> list[Referral]:
    # SKIP LOCKED on PostgreSQL: two schedulers never take the same referral.
    return list(session.exec(select(Referral).where(*conditions).order_by(order).limit(limit)
                             .with_for_update(skip_locked=True)))


def escalate_overdue(session: Session, *, now: datetime, limit: int) -> int:
    rows = _due(session, Referral.state == ReferralState.SENT.value, Referral.ack_due_at <= now,
                order=Referral.ack_due_at, limit=limit)
    for referral in rows:
        referrals.transition(session, referral, Action.RELEASE, actor=ACTOR, now=now, why=Why.EXPIRED,
                             reason=translate("en", N_("Not acknowledged by the deadline.")))
        referral_notices.escalated(session, referral, now=now)
    return len(rows)


def release_stale(session: Session, *, now: datetime, days: int, limit: int) -> int:
    rows = _due(session, Referral.state == ReferralState.ACCEPTED.value,
                Referral.accepted_at <= now - timedelta(days=days), order=Referral.accepted_at, limit=limit)
    for referral in rows:
        referrals.transition(session, referral, Action.RELEASE, actor=ACTOR, now=now, why=Why.EXPIRED,
                             reason=translate("en", N_("Not fulfilled within %(days)s days."), days=days))
    return len(rows)


def remind(session: Session, *, now: datetime, limit: int) -> int:
    rows = _due(session, Referral.state == ReferralState.SENT.value, Referral.remind_at <= now,
                order=Referral.remind_at, limit=limit)
    for referral in rows:
        referral_notices.reminder(session, referral, subject_of(session, referral), now=now)
        referral.remind_at = None
        session.add(referral)
    session.flush()
    return len(rows)
