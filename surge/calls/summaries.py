"""One row per call, kept up to date as its events arrive: the pivot the figures read.

A call's summary is its events grouped: the first offer, answer and abandon, the last end, where it
overflowed to, the caller's county. Earliest, latest and largest do not depend on the order events come
in, nor on repeats, so merging a batch into the stored row gives what grouping every event would.
"""

from __future__ import annotations

from sqlalchemy import func, literal_column, select, text
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


def merge(session: Session, rows: list[dict]) -> None:
    """Fold event rows into their calls' summaries."""
    calls = pivot(rows)
    if not calls:
        return
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
    if postgres:
        statement = insert.from_select(COLUMNS, _UNNEST).on_conflict_do_update(
            index_elements=["center", "call_id"], set_=changes)
        for start in range(0, len(calls), MERGE_ROWS):
            chunk = calls[start:start + MERGE_ROWS]
            session.execute(statement, {name: [call[name] for call in chunk] for name in COLUMNS})
        return
    statement = insert.on_conflict_do_update(index_elements=["center", "call_id"], set_=changes)
    for start in range(0, len(calls), MERGE_ROWS):
        session.execute(statement, calls[start:start + MERGE_ROWS])


_TIMES = {"offered_at", "answered_at", "abandoned_at", "ended_at"}
_UNNEST = select(literal_column("*")).select_from(text("unnest(" + ", ".join(
    f"CAST(:{name} AS {'timestamptz' if name in _TIMES else 'varchar'}[])" for name in COLUMNS) + ")"))

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
