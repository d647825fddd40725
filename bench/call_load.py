"""Call events made up in bulk and loaded by COPY, for the benchmarks that need a busy network.

Whole calls, about three events each: offered, then answered and ended (80%), abandoned (12%) or
overflowed to another center (8%), each caller in one of the center's counties (95%). COPY goes around
the insert path that keeps the call summaries, so the loader rebuilds them afterwards, then lays them out
in the order their calls were offered: live summaries are written as calls come in, so a window of time
lies on few pages; rebuilt by (center, call id), a 12-hour window would be strewn over the whole table.
"""

from __future__ import annotations

import io
import random
import time
from datetime import datetime, timedelta

from sqlalchemy import text

from surge.calls import summaries
from surge.kernel.db import unit_of_work

COLUMNS = ("center", "call_id", "event", "at", "to_center", "language", "caller_zip", "caller_county")
FLUSH_BYTES = 8_000_000


def call_lines(*, first_call: int, events_wanted: int, rng: random.Random, counties_by_center: dict[str, list[str]],
               start: datetime, days: float):
    """CSV lines of whole calls until `events_wanted` events are written; the next call number comes last."""
    slugs = sorted(counties_by_center)
    written, call = 0, first_call
    span = days * 86400
    while written < events_wanted:
        center = rng.choice(slugs)
        offered = start + timedelta(seconds=rng.random() * span)
        county = rng.choice(counties_by_center[center]) if rng.random() < 0.95 else ""
        call_id = f"b{call}"
        lines = [(center, call_id, "offered", offered, "", "en", "", county)]
        outcome = rng.random()
        if outcome < 0.8:
            answered = offered + timedelta(seconds=rng.expovariate(1 / 40))
            lines.append((center, call_id, "answered", answered, "", "", "", ""))
            lines.append((center, call_id, "ended", answered + timedelta(seconds=rng.uniform(60, 900)), "", "",
                          "", ""))
        elif outcome < 0.92:
            lines.append((center, call_id, "abandoned", offered + timedelta(seconds=rng.uniform(1, 300)), "", "",
                          "", ""))
        else:
            partner = rng.choice([s for s in slugs if s != center])
            lines.append((center, call_id, "overflowed", offered + timedelta(seconds=rng.uniform(20, 200)),
                          partner, "", "", ""))
        for row in lines:
            yield ",".join(value.isoformat() if isinstance(value, datetime) else value for value in row) + "\n"
        written += len(lines)
        call += 1
    yield call


def copy_csv(engine, table: str, columns: tuple[str, ...], lines) -> object:
    """COPY CSV lines into a table in one transaction; whatever non-string item ends `lines` is returned."""
    ended = None
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)") as copy:
                buffer = io.StringIO()
                for item in lines:
                    if not isinstance(item, str):
                        ended = item
                        break
                    buffer.write(item)
                    if buffer.tell() > FLUSH_BYTES:
                        copy.write(buffer.getvalue())
                        buffer = io.StringIO()
                copy.write(buffer.getvalue())
        raw.commit()
    finally:
        raw.close()
    return ended


def grow_calls(engine, *, have: int, want: int, next_call: int, rng: random.Random,
               counties_by_center: dict[str, list[str]], start: datetime, days: float
               ) -> tuple[int, int, float, float]:
    """COPY events until call_events holds about `want`, then rebuild the call summaries;
    (rows now, next call number, seconds copying, seconds summarising)."""
    began = time.perf_counter()
    next_call = copy_csv(engine, "call_events", COLUMNS, call_lines(
        first_call=next_call, events_wanted=want - have, rng=rng, counties_by_center=counties_by_center,
        start=start, days=days))
    copied = time.perf_counter() - began
    with unit_of_work(engine) as session:
        summaries.rebuild(session)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE call_events"))
        conn.execute(text("CLUSTER call_summaries USING ix_call_summaries_offered_at"))
        conn.execute(text("VACUUM ANALYZE call_summaries"))
        rows = conn.execute(text("SELECT count(*) FROM call_events")).scalar_one()
    return rows, next_call, copied, time.perf_counter() - began - copied
