"""Importing call events from files: a CSV export or an Asterisk queue_log, streamed in chunks.

Each line is read alone (bytes, then UTF-8), so a garbage line, a stray byte or an overlong line is
reported by its number and the rest still imports. Each chunk is checked by `intake.receive`, the API's
own check, and committed in its own transaction: memory stays bounded whatever the file's size, and
running an import again stores nothing twice.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import BinaryIO, Callable, Iterator

from sqlalchemy.engine import Engine

from surge.access.principal import Principal
from surge.calls import intake
from surge.calls.intake import Checker, Problems, Rejection
from surge.calls.models import MAX_BATCH, CallEventKind
from surge.centers import registry
from surge.kernel.db import run_in_transaction
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_

CHUNK = MAX_BATCH
MAX_LINE = 4096  # bytes; a longer line is not an event, and is not held in memory whole
KEEP_REJECTED = 50  # rejected lines kept for the report; the rest are only counted
CSV_COLUMNS = ("center", "call_id", "event", "at", "to_center", "language", "caller_zip")
CSV_REQUIRED = ("call_id", "event", "at")

# Asterisk queue_log verbs -> call events. EXITWITHTIMEOUT is an abandon: the log does not say where the
# dialplan sent the call next, so it cannot be an overflow to a named center. TRANSFER ends the call here.
QUEUE_LOG_EVENTS = {
    "ENTERQUEUE": CallEventKind.OFFERED,
    "CONNECT": CallEventKind.ANSWERED,
    "COMPLETECALLER": CallEventKind.ENDED,
    "COMPLETEAGENT": CallEventKind.ENDED,
    "TRANSFER": CallEventKind.ENDED,
    "ABANDON": CallEventKind.ABANDONED,
    "EXITWITHTIMEOUT": CallEventKind.ABANDONED,
    "EXITEMPTY": CallEventKind.ABANDONED,
    "EXITWITHKEY": CallEventKind.ABANDONED,
}
FORMATS = ("csv", "queue_log")

Progress = Callable[[int, int], None]  # (lines read, bytes read)


class Skip:
    """A line that holds no call event and is no error: a queue_log QUEUESTART, AGENTLOGIN, RINGNOANSWER..."""


SKIP = Skip()


@dataclass
class ImportReport:
    lines: int = 0
    skipped: int = 0
    received: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    first_rejected: list[Rejection] = field(default_factory=list)

    def reject(self, rejection: Rejection) -> None:
        self.rejected += 1
        if len(self.first_rejected) < KEEP_REJECTED:
            self.first_rejected.append(rejection)


def lines(stream: BinaryIO) -> Iterator[tuple[int, str | Problems, int]]:
    """(line number, text or the reason it cannot be read, bytes consumed) for each non-blank line."""
    number = 0
    while True:
        raw = stream.readline(MAX_LINE + 1)
        if not raw:
            return
        number += 1
        size = len(raw)
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # drop the rest of the overlong line, a piece at a time
                raw = stream.readline(MAX_LINE + 1)
                size += len(raw)
            yield number, Problems({"line": N_("This line is too long to be a call event.")}), size
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # the byte-order mark spreadsheet programs write
        try:
            text = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            yield number, Problems({"line": N_("This line is not UTF-8 text.")}), size
            continue
        if text.strip():
            yield number, text, size


def csv_header(text: str) -> list[str]:
    try:
        columns = [name.strip().lower() for name in next(csv.reader([text]))]
    except csv.Error:
        columns = [text]
    unknown = [name for name in columns if name not in CSV_COLUMNS]
    unknown += [f"{name} (twice)" for name in dict.fromkeys(columns) if columns.count(name) > 1]
    missing = [name for name in CSV_REQUIRED if name not in columns]
    if unknown or missing:
        raise ValidationFailed(N_("The first line must name the columns: call_id, event and at, and any of "
                                  "center, to_center, language and caller_zip (unknown or repeated: %(unknown)s; "
                                  "missing: %(missing)s)."),
                               params={"unknown": ", ".join(unknown) or "-", "missing": ", ".join(missing) or "-"})
    return columns


def csv_event(text: str, *, columns: list[str], center: str) -> dict | Problems:
    try:
        values = next(csv.reader([text]))
    except csv.Error:
        return Problems({"line": N_("This line is not valid CSV.")})
    if len(values) != len(columns):
        return Problems({"line": N_("This line does not have one value for each column of the header.")})
    event = {name: value.strip() for name, value in zip(columns, values) if value.strip()}
    if event.setdefault("center", center) != center:
        return Problems({"center": N_("This line is for another center than the one named for the import.")})
    return event


def queue_log_event(text: str, *, center: str) -> dict | Problems | Skip:
    """epoch|callid|queue|agent|event|data1|data2|data3 -> an event, a Skip, or what is wrong."""
    parts = text.split("|")
    if len(parts) < 5:
        return Problems({"line": N_("This is not a queue_log line (epoch|callid|queue|agent|event|data...).")})
    verb = parts[4].strip()
    kind = QUEUE_LOG_EVENTS.get(verb)
    if kind is None:
        return SKIP
    try:
        at = datetime.fromtimestamp(float(parts[0]), timezone.utc)
    except (ValueError, OverflowError, OSError):
        return Problems({"at": N_("The line's time is not a Unix time in seconds.")})
    return {"center": center, "call_id": parts[1].strip(), "event": kind.value, "at": at}


def parsed(stream: BinaryIO, *, fmt: str, center: str, report: ImportReport):
    """(line number, event or problems or SKIP, bytes) for each line after a CSV header."""
    columns = None
    for number, text, size in lines(stream):
        report.lines = number
        if isinstance(text, Problems):
            yield number, text, size
        elif fmt == "queue_log":
            yield number, queue_log_event(text, center=center), size
        elif columns is None:
            columns = csv_header(text)
            yield number, SKIP, size
        else:
            yield number, csv_event(text, columns=columns, center=center), size


def import_file(engine: Engine, stream: BinaryIO, *, fmt: str, center: str, actor: Principal,
                progress: Progress | None = None) -> ImportReport:
    """Import a whole file for one center; each chunk of CHUNK events is its own transaction."""
    if fmt not in FORMATS:
        raise ValidationFailed(N_("Use the csv or queue_log format."))

    def prepare(session) -> Checker:
        registry.find(session, center)
        return Checker(session, actor=actor)

    checker = run_in_transaction(engine, prepare)
    report = ImportReport()
    events: list[dict] = []
    numbers: list[int] = []
    unreadable: list[Rejection] = []  # this chunk's lines rejected before the check, merged in line order
    consumed = 0

    def flush() -> None:
        done = intake.Received()
        if events:
            done = run_in_transaction(engine, intake.receive, events=events, actor=actor, numbers=numbers,
                                      checker=checker)
        report.received += done.received + len(unreadable)
        report.stored += done.stored
        report.duplicates += done.duplicates
        for rejection in sorted(done.rejected + unreadable, key=lambda rejection: rejection.index):
            report.reject(rejection)
        events.clear()
        numbers.clear()
        unreadable.clear()
        if progress:
            progress(report.lines, consumed)

    for number, item, size in parsed(stream, fmt=fmt, center=center, report=report):
        consumed += size
        if isinstance(item, Skip):
            report.skipped += 1
            continue
        if isinstance(item, Problems):
            unreadable.append(Rejection(number, dict(item)))
        else:
            events.append(item)
            numbers.append(number)
        if len(events) + len(unreadable) >= CHUNK:
            flush()
    flush()
    return report
