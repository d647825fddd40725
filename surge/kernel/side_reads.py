"""Reading beside a transaction: a second connection that sees exactly what the transaction sees, so that
independent, read-only work (a brief's sections) runs side by side on PostgreSQL, one core each, instead of one
after the other.

The transaction exports its snapshot (`pg_export_snapshot`); the second connection takes it as the first act of a
repeatable-read, read-only transaction, so both read the same rows. Where that cannot be done (SQLite, or inside
a savepoint, which cannot export a snapshot) the work runs in turn in the caller's session, with the same result.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

Beside = TypeVar("Beside")
Here = TypeVar("Here")

# What PostgreSQL's snapshot identifiers look like ("00000003-0000001B-1"): checked before it is written into
# SET TRANSACTION SNAPSHOT, which takes no bound parameters.
_SNAPSHOT_ID = re.compile(r"^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$")


def _can_share(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql" and not session.in_nested_transaction()


def _engine_of(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def _in_snapshot(engine: Engine, snapshot: str, work: Callable[[Session], Beside]) -> Beside:
    with engine.connect() as plain:
        connection = plain.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with connection.begin():
            connection.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            with Session(bind=connection) as session:
                return work(session)


def side_by_side(session: Session, beside: Callable[[Session], Beside], here: Callable[[Session], Here]
                 ) -> tuple[Beside, Here]:
    """`beside` on a second connection that shares the session's snapshot while `here` runs in the session, or
    both in turn in the session where a snapshot cannot be shared. Both must only read."""
    if not _can_share(session):
        return beside(session), here(session)
    snapshot = session.execute(text("SELECT pg_export_snapshot()")).scalar_one()
    if not _SNAPSHOT_ID.match(snapshot):
        raise RuntimeError(f"unexpected snapshot identifier {snapshot!r}")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="side-read") as pool:
        theirs = pool.submit(_in_snapshot, _engine_of(session), snapshot, beside)
        try:
            mine = here(session)
        finally:
            # The snapshot lives only as long as this transaction: the other side ends before it may.
            theirs.exception()
    return theirs.result(), mine
