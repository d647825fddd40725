"""Counts of recent call events that other parts of Surge act on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from surge.calls.models import CallEvent, CallEventKind


def overflowed_since(session: Session, since: datetime) -> dict[tuple[str, str], int]:
    """Calls overflowed per (from-center, to-center) since `since`: what agreements' hourly caps are held to."""
    rows = session.exec(
        select(CallEvent.center, CallEvent.to_center, func.count())
        .where(CallEvent.event == CallEventKind.OVERFLOWED.value, CallEvent.at >= since,
               CallEvent.to_center.is_not(None))
        .group_by(CallEvent.center, CallEvent.to_center)).all()
    return {(center, to_center): count for center, to_center, count in rows}
