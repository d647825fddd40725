"""A stamp that changes whenever anything matching reads about clearinghouses changes, so that each process can
keep an incident's places in memory and know, with one small read, when they went stale.

Database triggers (see the migration `place stamps`) write a new random stamp on every insert, update or delete
in `clearinghouses`, `clearinghouse_protocols`, `clearinghouse_needs` and `incident_linkages`, in the same
transaction as the change. So no code path that edits them (the API, the portal, the CLI, activation, a hand-run
SQL statement) can leave a process reading stale places. The stamp is random, not a counter: emptied and refilled
tables can never bring an old stamp back.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, select
from sqlmodel import Field, Session, SQLModel

class PlaceStamp(SQLModel, table=True):
    __tablename__ = "place_stamps"

    id: int = Field(default=1, sa_column=Column(Integer, primary_key=True, autoincrement=False))
    stamp: str = Field(sa_column=Column(String(40), nullable=False))


_CURRENT = select(PlaceStamp.__table__.c.stamp).where(PlaceStamp.__table__.c.id == 1)
# The same, to read beside other columns in one statement (one round trip fewer on a hot path).
CURRENT_COLUMN = _CURRENT.scalar_subquery().label("place_stamp")


def current(session: Session) -> str | None:
    """The stamp now; None when there is none yet (then nothing may be kept)."""
    return session.execute(_CURRENT).scalar()
