"""Overflow counts the routing engine reads to keep agreements under their max_calls_per_hour."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from surge.calls.models import CallEvent, CallEventKind


def overflowed_since(session: Session, since: datetime) -> dict[tuple[str, str], int]:
    """Overflowed events per (center, to_center) at or after `since`."""
    # Only overflowed events name a to_center: the condition lets the partial (to_center, at) index serve.
    rows = session.exec(select(CallEvent.center, CallEvent.to_center, func.count())
                        .where(CallEvent.to_center.is_not(None), CallEvent.event == CallEventKind.OVERFLOWED.value,
                               CallEvent.at >= since)
                        .group_by(CallEvent.center, CallEvent.to_center)).all()
    return {(center, to_center): count for center, to_center, count in rows}
