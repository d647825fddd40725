"""One row per call, kept up to date as its events arrive: the pivot the figures read.

A call's summary is its events grouped: the first offer, answer and abandon, the last end, where it
overflowed to, the caller's county. Earliest, latest and largest do not depend on the order events come
in, nor on repeats, so merging a batch into the stored row gives what grouping every event would.
"""

from __future__ import annotations

from sqlalchemy import case, func, select, text
from sqlmodel import Session

from surge.calls.models import CallEventKind, CallSummary
from surge.kernel.db import upsert_insert

COLUMNS = ("center", "call_id", "offered_at", "answered_at", "abandoned_at", "ended_at", "to_center",
           "caller_county")
FIRST = {CallEventKind.OFFERED.value: "offered_at", CallEventKind.ANSWERED.value: "answered_at",
         CallEventKind.ABANDONED.value: "abandoned_at"}
LAST = {CallEventKind.ENDED.value: "ended_at"}
MERGE_ROWS = 5000


def _pick(old, new, *, smaller: bool = False):
    if old is None or new is None:
        return new if old is None else old
    return min(old, new) if smaller else max(old, new)


def pivot(rows: list[dict]) -> list[dict]:
    """Event rows -> one summary row per (center, call_id), in key order (so concurrent merges lock alike)."""
    calls: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (row["center"], row["call_id"])
        call = calls.get(key)
        if call is None:
            call = calls[key] = dict.fromkeys(COLUMNS)
            call["center"], call["call_id"] = key
        kind = row["event"]
        if kind in FIRST:
            call[FIRST[kind]] = _pick(call[FIRST[kind]], row["at"], smaller=True)
        elif kind in LAST:
            call[LAST[kind]] = _pick(call[LAST[kind]], row["at"])
        call["to_center"] = _pick(call["to_center"], row.get("to_center"))
        call["caller_county"] = _pick(call["caller_county"], row.get("caller_county"))
    return [calls[key] for key in sorted(calls)]


def _merging(session: Session):
    """An upsert into call_summaries whose conflicts keep the earliest and latest times of both rows."""
    postgres = session.get_bind().dialect.name == "postgresql"
    table = CallSummary.__table__
    insert = upsert_insert(session, table)
    new = insert.excluded
    # PostgreSQL's LEAST and GREATEST skip NULLs; SQLite's two-argument min and max return NULL on one,
    # so each side falls back to the other first.
    least, greatest = (func.least, func.greatest) if postgres else (func.min, func.max)

    def keep(pick, name):
        old, given = table.c[name], new[name]
        return pick(func.coalesce(old, given), func.coalesce(given, old))

    changes = {name: keep(least, name) for name in ("offered_at", "answered_at", "abandoned_at")}
    changes.update({name: keep(greatest, name) for name in ("ended_at", "to_center", "caller_county")})
    return insert, {"index_elements": ["center", "call_id"], "set_": changes}


def merge(session: Session, rows: list[dict]) -> None:
    """Fold event rows into their calls' summaries."""
    calls = pivot(rows)
    insert, conflict = _merging(session)
    statement = insert.on_conflict_do_update(**conflict)
    for start in range(0, len(calls), MERGE_ROWS):
        session.execute(statement, calls[start:start + MERGE_ROWS])


def merge_from(session: Session, events):
    """An INSERT folding the event rows of `events` (a CTE: center, call_id, event, at, to_center,
    caller_county) into their calls' summaries, grouped in SQL: for PostgreSQL, in the events' own
    statement."""
    c = events.c
    grouped = (select(c.center, c.call_id,
                      *(func.min(case((c.event == kind, c.at))) for kind in FIRST),
                      *(func.max(case((c.event == kind, c.at))) for kind in LAST),
                      func.max(c.to_center), func.max(c.caller_county))
               .group_by(c.center, c.call_id).order_by(c.center, c.call_id))  # one lock order for all writers
    insert, conflict = _merging(session)
    return insert.from_select(COLUMNS, grouped).on_conflict_do_update(**conflict)


# Every call grouped from its events, replacing what was there: after events were loaded around the
# insert path (a bulk COPY), or to check the summaries against their definition.
REBUILD = """
INSERT INTO call_summaries (center, call_id, offered_at, answered_at, abandoned_at, ended_at, to_center,
                            caller_county)
SELECT center, call_id,
       MIN(CASE WHEN event = 'offered' THEN at END), MIN(CASE WHEN event = 'answered' THEN at END),
       MIN(CASE WHEN event = 'abandoned' THEN at END), MAX(CASE WHEN event = 'ended' THEN at END),
       MAX(to_center), MAX(caller_county)
FROM call_events WHERE TRUE
GROUP BY center, call_id
ON CONFLICT (center, call_id) DO UPDATE SET
  offered_at = excluded.offered_at, answered_at = excluded.answered_at, abandoned_at = excluded.abandoned_at,
  ended_at = excluded.ended_at, to_center = excluded.to_center, caller_county = excluded.caller_county
"""


def rebuild(session: Session) -> None:
    session.execute(text(REBUILD))
