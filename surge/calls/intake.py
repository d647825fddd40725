"""Receiving call events: one check for the API, CSV files and queue_log files, then one idempotent insert.

Each event is judged alone: a bad one is reported with its number and the fields at fault, and the rest
are kept. A replayed event (same center, call id and event) stores nothing and counts as a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Sequence

from pydantic import ValidationError
from sqlalchemy import func, literal_column, text
from sqlmodel import Session, select

import geo
from surge.access import permissions
from surge.access.principal import Principal
from surge.calls import summaries
from surge.calls.models import MAX_BATCH, MAX_FUTURE, CallEvent, CallEventIn, CallEventKind
from surge.centers.models import Center
from surge.centers.permissions import REPORT_FOR_CENTER, require_own_center
from surge.kernel.clock import utcnow
from surge.kernel.db import upsert_insert
from surge.kernel.errors import Forbidden, ValidationFailed
from surge.kernel.i18n import N_
from surge.kernel.validation import field_messages

# Rows per INSERT statement (PostgreSQL) or executemany (SQLite).
INSERT_ROWS = 5000
COLUMNS = ("center", "call_id", "event", "at", "to_center", "language", "caller_zip", "caller_county")


@dataclass
class Rejection:
    index: int  # the event's place in the batch (API, from 0) or its line in the file (imports, from 1)
    fields: dict[str, str]


@dataclass
class Received:
    received: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def add(self, other: Received) -> None:
        self.received += other.received
        self.stored += other.stored
        self.duplicates += other.duplicates
        self.rejected.extend(other.rejected)


class Problems(dict):
    """Field -> message for one rejected event (a dict, told apart from a row by its type)."""


class Checker:
    """What events are checked against, read once per batch or import: the centers and who sends."""

    def __init__(self, session: Session, *, actor: Principal, now: datetime | None = None):
        permissions.require(actor, REPORT_FOR_CENTER)
        self.actor = actor
        self.centers = set(session.exec(select(Center.slug)).all())
        self.latest = (now or utcnow()) + MAX_FUTURE
        self._allowed: dict[str, bool] = {}
        self._counties: dict[str, str | None] = {}

    def allowed(self, center: str) -> bool:
        if center not in self._allowed:
            try:
                require_own_center(self.actor, center, REPORT_FOR_CENTER)
                self._allowed[center] = True
            except Forbidden:
                self._allowed[center] = False
        return self._allowed[center]

    def county(self, zip_code: str) -> str | None:
        """The ZIP's primary county; None for a well-formed ZIP the crosswalk does not know (the call is kept)."""
        if zip_code not in self._counties:
            try:
                self._counties[zip_code] = geo.zip_shares(zip_code)[0].county_fips
            except geo.UnknownCode:
                self._counties[zip_code] = None
        return self._counties[zip_code]

    def row(self, raw: Any) -> dict | Problems:
        """The row to insert, or the fields at fault."""
        if not isinstance(raw, dict):
            return Problems({"event": N_("This must be a JSON object.")})
        try:
            event = CallEventIn.model_validate(raw)
        except ValidationError as exc:
            return Problems(field_messages(exc, CallEventIn.FIELD_MESSAGES))
        problems = Problems()
        if not self.allowed(event.center):
            problems["center"] = N_("You may only report calls for your own center.")
        elif event.center not in self.centers:
            problems["center"] = N_("There is no such center.")
        if event.event == CallEventKind.OVERFLOWED:
            if not event.to_center:
                problems["to_center"] = N_("An overflowed event names the center the call went to (to_center).")
            elif event.to_center == event.center:
                problems["to_center"] = N_("A call cannot overflow to its own center.")
            elif event.to_center not in self.centers:
                problems["to_center"] = N_("There is no such center.")
        elif event.to_center:
            problems["to_center"] = N_("Only overflowed events name a to_center.")
        if event.at > self.latest:
            problems["at"] = N_("This time is more than a day ahead of the server's clock.")
        if problems:
            return problems
        return {"center": event.center, "call_id": event.call_id, "event": event.event.value, "at": event.at,
                "to_center": event.to_center, "language": event.language, "caller_zip": event.caller_zip,
                "caller_county": self.county(event.caller_zip) if event.caller_zip else None}


def receive(session: Session, *, events: Sequence[Any], actor: Principal, numbers: Sequence[int] | None = None,
            checker: Checker | None = None, now: datetime | None = None) -> Received:
    """Check and store a batch. `numbers` name the events in the report (line numbers for files)."""
    if len(events) > MAX_BATCH:
        raise ValidationFailed(N_("Send at most %(max)s events at once."), params={"max": MAX_BATCH},
                               fields={"body": N_("This has too many items.")})
    checker = checker or Checker(session, actor=actor, now=now)
    answer = Received(received=len(events))
    rows = []
    for position, raw in enumerate(events):
        checked = checker.row(raw)
        if isinstance(checked, Problems):
            answer.rejected.append(Rejection(numbers[position] if numbers else position, dict(checked)))
        else:
            rows.append(checked)
    answer.stored = store(session, rows)
    answer.duplicates = len(rows) - answer.stored
    return answer


def store(session: Session, rows: list[dict]) -> int:
    """Insert checked rows, skipping those already stored, and fold them into their calls' summaries;
    how many were new."""
    if not rows:
        return 0
    table = CallEvent.__table__
    insert = upsert_insert(session, table)
    conflict = {"index_elements": ["center", "call_id", "event"]}
    if session.get_bind().dialect.name == "postgresql":
        # One statement per chunk, one round trip: INSERT ... SELECT FROM unnest(arrays) (executemany with
        # RETURNING runs far slower here), whose new rows, and only those, a second INSERT in the same
        # statement folds into the summaries; a replay writes nothing at all.
        new = (insert.from_select(COLUMNS, _UNNEST).on_conflict_do_nothing(**conflict)
               .returning(*(table.c[name] for name in ("center", "call_id", "event", "at", "to_center",
                                                       "caller_county"))).cte("new"))
        merged = summaries.merge_from(session, new).cte("merged")
        statement = select(func.count()).select_from(new).add_cte(merged)
        stored = 0
        for start in range(0, len(rows), INSERT_ROWS):
            chunk = rows[start:start + INSERT_ROWS]
            values = {name: [row[name] for row in chunk] for name in COLUMNS}
            values["at"] = [at.isoformat() for at in values["at"]]  # psycopg dumps text 3x faster than datetimes
            stored += session.execute(statement, values).scalar_one()
        return stored
    # SQLite: executemany of one prepared statement, whose rowcount counts only the rows inserted. Folding
    # every row in (repeats change nothing) saves reading the new ones back.
    statement = insert.on_conflict_do_nothing(**conflict)
    stored = 0
    for start in range(0, len(rows), INSERT_ROWS):
        stored += session.execute(statement, rows[start:start + INSERT_ROWS]).rowcount
    summaries.merge(session, rows)
    return stored


_UNNEST = select(literal_column("*")).select_from(text("unnest(" + ", ".join(
    f"CAST(:{name} AS {'timestamptz' if name == 'at' else 'varchar'}[])" for name in COLUMNS) + ")"))
