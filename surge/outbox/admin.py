"""What an administrator sees of the outbox, and replaying a dead message."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func, select, update
from sqlmodel import Session

from surge.access.permissions import MANAGE_OUTBOX, require
from surge.access.principal import Principal
from surge.kernel import audit
from surge.kernel.errors import Conflict, NotFound
from surge.kernel.i18n import N_
from surge.outbox.models import OutboxMessage, State

_table = OutboxMessage.__table__


class MessageView(BaseModel, frozen=True):
    """One message as the API and the page show it: never its body, never a secret."""

    id: int
    key: str
    channel: str
    topic: str
    recipient: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


class MessagePage(BaseModel, frozen=True):
    messages: list[MessageView]
    total: int
    page: int
    page_size: int


_COLUMNS = [_table.c[name] for name in MessageView.model_fields]


def counts(session: Session, *, actor: Principal) -> dict[str, int]:
    """How many messages are in each state (every state named, zero included)."""
    require(actor, MANAGE_OUTBOX)
    found = dict(session.execute(select(_table.c.state, func.count()).group_by(_table.c.state)).all())
    return {state.value: found.get(state.value, 0) for state in State}


def list_messages(session: Session, *, actor: Principal, state: State, page: int, page_size: int) -> MessagePage:
    """Messages in one state: dead and pending by when they were written, sent newest first."""
    require(actor, MANAGE_OUTBOX)
    order = [_table.c.sent_at.desc(), _table.c.id.desc()] if state is State.SENT else [_table.c.id]
    rows = session.execute(select(*_COLUMNS).where(_table.c.state == state.value).order_by(*order)
                           .limit(page_size).offset((page - 1) * page_size)).all()
    total = session.execute(select(func.count()).select_from(_table).where(_table.c.state == state.value)).scalar_one()
    return MessagePage(messages=[MessageView(**row._mapping) for row in rows], total=total, page=page,
                       page_size=page_size)


def replay(session: Session, *, actor: Principal, message_id: int, now: datetime) -> MessageView:
    """A dead message goes back to pending with its attempts cleared, due now; audited."""
    require(actor, MANAGE_OUTBOX)
    row = session.execute(select(*_COLUMNS, _table.c.state).where(_table.c.id == message_id)).first()
    if row is None:
        raise NotFound(N_("No such message."))
    if row.state != State.DEAD.value:
        raise Conflict(N_("Only a dead message can be replayed."), code="not_dead")
    changed = session.execute(update(_table).where(_table.c.id == message_id, _table.c.state == State.DEAD.value)
                              .values(state=State.PENDING.value, attempts=0, next_attempt_at=now))
    if changed.rowcount != 1:  # replayed by someone else in the meantime
        raise Conflict(N_("Only a dead message can be replayed."), code="not_dead")
    audit.record(session, actor=actor.actor, action="outbox.replay", target_type="outbox_message",
                 target_id=message_id, diff={"key": row.key, "channel": row.channel, "attempts": row.attempts,
                                             "last_error": row.last_error, "state": ["dead", "pending"]})
    return MessageView(**{**row._mapping, "attempts": 0, "next_attempt_at": now})
