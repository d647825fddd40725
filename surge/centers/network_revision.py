"""A counter bumped by every change to centers or agreements, so each process knows when to reload its routing plan."""

from __future__ import annotations

from sqlmodel import Field, Session, SQLModel

from surge.kernel.db import upsert_insert

ROW = 1


class NetworkRevision(SQLModel, table=True):
    __tablename__ = "network_revision"

    id: int = Field(default=ROW, primary_key=True)
    revision: int = 0


def bump(session: Session) -> None:
    statement = upsert_insert(session, NetworkRevision.__table__).values(id=ROW, revision=1)
    session.execute(statement.on_conflict_do_update(
        index_elements=["id"], set_={"revision": NetworkRevision.__table__.c.revision + 1}))


def current(session: Session) -> int:
    row = session.get(NetworkRevision, ROW)
    return row.revision if row else 0
