"""Idempotency keys: a request repeated with the same key gets the first answer, and its work runs once.

The remembered answer is written in the same transaction as the record it protects, so either both
are kept or neither is. The scope says whose key it is ("api:volunteers:<incident>:<actor>",
"form:volunteer"), so one caller's key never answers another's request.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import Column, Integer, UniqueConstraint, bindparam, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, select

from surge.kernel.clock import utc_column, utcnow
from surge.kernel.db import json_column
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_

SCOPE_LENGTH = 200
KEY_LENGTH = 200
KEY_REUSED = N_("This Idempotency-Key was already used for a different request.")
Work = Callable[[Session], tuple[int, Any]]


class IdempotencyKey(SQLModel, table=True):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_idempotency_keys_scope_key"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=SCOPE_LENGTH)
    key: str = Field(max_length=KEY_LENGTH)
    request_hash: str = Field(max_length=64)
    status_code: int = Field(sa_column=Column(Integer, nullable=False))
    answer: Any = Field(default=None, sa_column=json_column(nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False, index=True))


@dataclass(frozen=True)
class Stored:
    request_hash: str
    status_code: int
    answer: Any
    created_at: datetime


def find(session: Session, scope: str, key: str) -> Stored | None:
    row = session.exec(select(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)).first()
    if row is None:
        return None
    return Stored(row.request_hash, row.status_code, row.answer, row.created_at)


def remember(session: Session, scope: str, key: str, request_hash: str, status_code: int, answer: Any, *,
             now: datetime | None = None) -> None:
    """Keep the answer given to (scope, key); flushed now, so a key already kept raises IntegrityError here."""
    session.add(_row(scope, key, request_hash, status_code, answer, now))
    session.flush()


def _check(scope: str, key: str, request_hash: str) -> None:
    if not 0 < len(scope) <= SCOPE_LENGTH or not 0 < len(key) <= KEY_LENGTH or len(request_hash) != 64:
        raise ValueError("idempotency scope and key must be 1-200 characters, the request hash 64")


def _row(scope: str, key: str, request_hash: str, status_code: int, answer: Any, now: datetime | None):
    _check(scope, key, request_hash)
    # Stored as JSON: what a replay returns is what the first caller got, not a live object.
    return IdempotencyKey(scope=scope, key=key, request_hash=request_hash, status_code=status_code,
                          answer=json.loads(json.dumps(answer)), created_at=now or utcnow())


def replay(stored: Stored, request_hash: str) -> tuple[int, Any]:
    """The stored answer, unless the key came back with a different request (422)."""
    if stored.request_hash != request_hash:
        raise ValidationFailed(KEY_REUSED, code="idempotency_key_reused")
    return stored.status_code, stored.answer


@functools.lru_cache(maxsize=2)  # one a dialect
def _claim_statement(dialect: str):
    table = IdempotencyKey.__table__
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    return insert.on_conflict_do_nothing(index_elements=["scope", "key"]).returning(table.c.id)


_ANSWER = (update(IdempotencyKey.__table__).where(IdempotencyKey.__table__.c.id == bindparam("claimed"))
           .values(status_code=bindparam("status_code"), answer=bindparam("answer")))


def run_once(engine: Engine, scope: str, key: str, request_hash: str, work: Work, *,
             now: datetime | None = None) -> tuple[int, Any]:
    """Run `work(session) -> (status_code, answer)` once per (scope, key), its answer kept in the same transaction.

    A repeat gets the kept answer without running `work`. The key is claimed before `work` runs: of two
    first requests at once, the second's claim waits on the unique index until the first commits, then claims
    nothing and reads its answer (if the first rolls back, the second claims and runs instead). So `work` never
    runs twice.
    """
    _check(scope, key, request_hash)
    with Session(engine, expire_on_commit=False) as session:
        try:
            # Claimed with a placeholder answer that no other transaction can see: the real one replaces it below.
            claimed = session.execute(_claim_statement(engine.dialect.name), {
                "scope": scope, "key": key, "request_hash": request_hash, "status_code": 0,
                "created_at": now or utcnow()}).scalar()
            if claimed is None:
                stored = find(session, scope, key)
                session.rollback()
                if stored is None:  # kept a moment ago, yet gone now (swept): not ours to explain
                    raise RuntimeError(f"idempotency key {scope}/{key} vanished while being read")
                return replay(stored, request_hash)
            status_code, answer = work(session)
            kept = json.loads(json.dumps(answer))
            session.execute(_ANSWER, {"claimed": claimed, "status_code": status_code, "answer": kept})
            session.commit()
        except BaseException:
            session.rollback()
            raise
        return status_code, kept


def sweep(session: Session, *, before: datetime) -> int:
    """Forget keys kept before `before`; how many."""
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < before))
    return result.rowcount or 0
