"""Every routing decision, kept for review: written in batches off the request path."""

from __future__ import annotations

import json
import threading
from collections import deque
from datetime import datetime

import structlog
from sqlalchemy import delete, insert
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Field, SQLModel

from surge.kernel.clock import utc_column
from surge.kernel.db import json_column

log = structlog.get_logger("surge.routing")


class RouteDecision(SQLModel, table=True):
    __tablename__ = "route_decisions"

    id: str = Field(primary_key=True, max_length=32)
    decided_at: datetime = Field(sa_column=utc_column(nullable=False, index=True))
    at: datetime = Field(sa_column=utc_column(nullable=False))
    county_fips: str = Field(max_length=5)
    zip: str | None = Field(default=None, max_length=5)
    language: str | None = Field(default=None, max_length=35)
    tty: bool = False
    targets: list = Field(default_factory=list, sa_column=json_column(nullable=False))
    skipped: list = Field(default_factory=list, sa_column=json_column(nullable=False))
    stale: list = Field(default_factory=list, sa_column=json_column(nullable=False))
    actor: str = Field(default="", max_length=400)


COLUMNS = ("id", "decided_at", "at", "county_fips", "zip", "language", "tty", "targets", "skipped", "stale", "actor")


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_field(value) -> str:
    """One field of PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        value = json.dumps(value)
    return str(value).translate(_ESCAPES)


def copy_text(rows: list[dict]) -> bytes:
    return "".join("\t".join(_copy_field(row[name]) for name in COLUMNS) + "\n" for row in rows).encode()


def _write(conn, rows: list[dict]) -> None:
    """PostgreSQL takes the batch by COPY as one block of text; SQLite by executemany.

    One block, not a row at a time: each call into the driver lets go of the interpreter lock, and a
    writer that takes it back hundreds of times a batch would stall the requests being served.
    """
    if conn.dialect.name != "postgresql":
        conn.execute(insert(RouteDecision.__table__), rows)
        return
    with conn.connection.cursor() as cursor:
        with cursor.copy(f"COPY route_decisions ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            copy.write(copy_text(rows))


def prune(session, *, before: datetime) -> int:
    """Drop decisions made before `before`; how many."""
    result = session.execute(delete(RouteDecision.__table__).where(RouteDecision.__table__.c.decided_at < before))
    return result.rowcount or 0


class DecisionWriter:
    """Decisions queue in memory and a background thread writes them in batches (COPY on PostgreSQL).

    A request never waits on the log's write. The queue is bounded: past `max_pending` rows (the
    database is down or far behind) the oldest waiting rows are dropped and counted, never the server's
    memory. `close()` writes what is left.
    """

    def __init__(self, engine, *, interval: float = 0.5, batch: int = 1000, max_pending: int = 100_000):
        self._engine = engine
        self._interval = interval
        self._batch = batch
        self._pending: deque[dict] = deque(maxlen=max_pending)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._flushing = threading.Lock()
        self._thread: threading.Thread | None = None
        self.dropped = 0
        self.failed_batches = 0

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="route-decision-log", daemon=True)
            self._thread.start()

    def add(self, row: dict) -> None:
        if len(self._pending) == self._pending.maxlen:
            self.dropped += 1
        self._pending.append(row)
        if len(self._pending) >= self._batch:
            self._wake.set()

    def flush(self) -> int:
        """Write every waiting decision now; how many were written."""
        written = 0
        with self._flushing:
            while self._pending:
                rows = [self._pending.popleft() for _ in range(min(self._batch, len(self._pending)))]
                try:
                    with self._engine.begin() as conn:
                        _write(conn, rows)
                    written += len(rows)
                except SQLAlchemyError:
                    self.failed_batches += 1
                    log.warning("route_decisions_not_written", rows=len(rows))
                    return written
        return written

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._interval)
            self._wake.clear()
            self.flush()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.flush()
