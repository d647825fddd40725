"""Marks that an incident's needs or linkages changed, so that its reserve volunteers and on-file items are
matched again soon after, by a job, never inside the editor's request (an incident may hold thousands).

One row an incident: a second change before the job runs only moves `requested_at` on. The job walks the
people with cursors, a bounded batch a run, and drops the mark once it got through without a newer change.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlmodel import Field, Session, SQLModel, select

from surge.incidents.models import Incident, Status
from surge.kernel.clock import utc_column
from surge.kernel.db import upsert_insert


class RematchRequest(SQLModel, table=True):
    __tablename__ = "rematch_requests"

    incident_slug: str = Field(sa_column=Column(
        String(63), ForeignKey("incidents.slug", name="fk_rematch_requests_incident"), primary_key=True))
    requested_at: datetime = Field(sa_column=utc_column(nullable=False))
    # The last volunteer and item looked at in this pass: the next run goes on after them.
    volunteer_cursor: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    item_cursor: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))


def request(session: Session, *, incident_slug: str, now: datetime) -> None:
    """Ask for a re-match of the incident; a pass under way starts over, since the change may help anyone."""
    table = RematchRequest.__table__
    statement = upsert_insert(session, table).values(incident_slug=incident_slug, requested_at=now,
                                                     volunteer_cursor=0, item_cursor=0)
    session.execute(statement.on_conflict_do_update(
        index_elements=["incident_slug"], set_={"requested_at": now, "volunteer_cursor": 0, "item_cursor": 0}))


def request_every_active(session: Session, *, now: datetime) -> int:
    """Ask for a re-match of every active incident not already waiting for one: capacity is counted over the
    last day, so places taken a day ago are free again without any change being made. Answers how many."""
    active = session.exec(select(Incident.slug).where(Incident.status == Status.ACTIVE.value)).all()
    if not active:
        return 0
    table = RematchRequest.__table__
    statement = upsert_insert(session, table).on_conflict_do_nothing(index_elements=["incident_slug"])
    new = session.execute(statement.returning(table.c.incident_slug),
                          [{"incident_slug": slug, "requested_at": now, "volunteer_cursor": 0, "item_cursor": 0}
                           for slug in active]).all()
    return len(new)
