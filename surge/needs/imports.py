"""Importing need reports from a center's I&R system export (CSV), one transaction an import.

The file is bounded (bytes and rows) and must be UTF-8 (a byte-order mark is fine): anything else refuses
the whole file, and nothing is stored. Within a usable file, each bad row is reported by its line number
and reason and the others are stored; a row is checked whole before it is written, so none is half
written. A record id already stored for the center (or seen earlier in the file) counts as a duplicate.
"""

from __future__ import annotations

import codecs
import csv
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO, Callable, Iterator
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.kernel import audit
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_
from surge.needs.mapping import ImportMapping, RowFields, RowProblem, missing_columns, read_row
from surge.needs.models import NeedReport, Source
from surge.needs.reports import center_for, county_of, open_incident

MAX_ROWS = 100_000
MAX_LINE_BYTES = 10_000
KEEP_REJECTED = 200  # rejections kept for the report; the rest are only counted
CHUNK = 500
Progress = Callable[[int], None]  # rows read so far


@dataclass(frozen=True)
class Rejection:
    line: int
    message: str  # a msgid
    params: dict


@dataclass
class ImportReport:
    batch: str
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    def reject(self, line: int, message: str, params: dict | None = None) -> None:
        self.rejected += 1
        if len(self.rejections) < KEEP_REJECTED:
            self.rejections.append(Rejection(line, message, params or {}))


def _refuse(message: str, **params) -> ValidationFailed:
    return ValidationFailed(message, params=params, fields={"file": N_("This file cannot be imported.")})


def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, str | None]]:
    """(line number, text) for each line; text None for a line too long to hold a record. A non-UTF-8 byte or
    a file over `max_bytes` refuses the whole file."""
    number = consumed = 0
    while raw := stream.readline(MAX_LINE_BYTES + 1):
        number += 1
        consumed += len(raw)
        if consumed > max_bytes:
            raise _refuse(N_("The file is larger than %(limit)s bytes. Split it and import each part."),
                          limit=f"{max_bytes:,}")
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a piece at a time
                raw = stream.readline(MAX_LINE_BYTES + 1)
                consumed += len(raw)
                if consumed > max_bytes:
                    raise _refuse(N_("The file is larger than %(limit)s bytes. Split it and import each part."),
                                  limit=f"{max_bytes:,}")
            yield number, None
            continue
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            yield number, raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise _refuse(N_("The file is not UTF-8 text (line %(line)s). Save it as UTF-8 (CSV UTF-8) and try "
                             "again."), line=number) from None


def _cells(text: str) -> list[str] | None:
    try:
        return next(csv.reader([text]))
    except (csv.Error, StopIteration):
        return None


class _Writer:
    """Rows checked and waiting, written a chunk at a time after the duplicates are taken out."""

    def __init__(self, session: Session, report: ImportReport, *, incident: str, center: str):
        self.session, self.report, self.incident, self.center = session, report, incident, center
        self.waiting: list[tuple[RowFields, str]] = []
        self.seen: set[str] = set()

    def add(self, fields: RowFields, county: str) -> None:
        if fields.external_id is not None:
            if fields.external_id in self.seen:
                self.report.duplicates += 1
                return
            self.seen.add(fields.external_id)
        self.waiting.append((fields, county))
        if len(self.waiting) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        ids = [fields.external_id for fields, _ in self.waiting if fields.external_id]
        stored = set(self.session.exec(select(NeedReport.external_id).where(
            NeedReport.center_slug == self.center, NeedReport.external_id.in_(ids))).all()) if ids else set()
        for fields, county in self.waiting:
            if fields.external_id in stored:
                self.report.duplicates += 1
                continue
            self.session.add(NeedReport(
                incident_slug=self.incident, center_slug=self.center, county_fips=county, zip=fields.zip,
                category=fields.category, met=fields.met, unmet_reason=fields.unmet_reason,
                logged_at=fields.logged_at, logged_by=None, source=Source.IMPORT.value,
                import_batch=self.report.batch, external_id=fields.external_id))
            self.report.stored += 1
        self.waiting.clear()
        self.session.flush()
        self.session.expunge_all()  # written rows need not stay: thousands would slow every later flush


def import_csv(session: Session, *, incident_slug: str, center_slug: str, mapping: ImportMapping,
               stream: BinaryIO, actor: Principal, now: datetime, max_bytes: int, max_rows: int = MAX_ROWS,
               progress: Progress | None = None, progress_every: int = 1000) -> ImportReport:
    permissions.require(actor, permissions.IMPORT_NEEDS)
    incident = open_incident(session, incident_slug)
    zone = ZoneInfo(incident.timezone)
    center = center_for(session, actor, center_slug)
    report = ImportReport(batch=secrets.token_hex(8))
    writer = _Writer(session, report, incident=incident_slug, center=center)
    header: list[str] | None = None
    for number, text in _lines(stream, max_bytes):
        if header is None:
            if text is None or not text.strip():
                raise _refuse(N_("The first line must name the columns."))
            header = [name.strip() for name in (_cells(text) or [])]
            missing = missing_columns(mapping, header)
            if missing:
                raise _refuse(N_("The file has no column named %(columns)s; its first line names: %(found)s."),
                              columns=", ".join(missing)[:300], found=", ".join(header)[:300])
            continue
        if text is not None and not text.strip():
            continue
        report.read += 1
        if report.read > max_rows:
            raise _refuse(N_("The file has more than %(limit)s rows. Split it and import each part."),
                          limit=f"{max_rows:,}")
        if progress and report.read % progress_every == 0:
            progress(report.read)
        _one_row(writer, number, text, header, mapping, zone=zone, now=now)
    if header is None:
        raise _refuse(N_("The file is empty."))
    writer.flush()
    audit.record(session, actor=actor.actor, action="need_report.import", target_type="need_import",
                 target_id=report.batch, diff={"incident": incident_slug, "center": center, "read": report.read,
                                               "stored": report.stored, "duplicates": report.duplicates,
                                               "rejected": report.rejected})
    return report


def _one_row(writer: _Writer, number: int, text: str | None, header: list[str], mapping: ImportMapping, *,
             zone: ZoneInfo, now: datetime) -> None:
    report = writer.report
    if text is None:
        report.reject(number, N_("The line is too long to be a record."))
        return
    if "\x00" in text:
        report.reject(number, N_("The line holds a character that cannot be stored."))
        return
    cells = _cells(text)
    if cells is None or len(cells) != len(header):
        report.reject(number, N_("The line does not have one value for each column of the first line."))
        return
    found = read_row(dict(zip(header, cells)), mapping, zone=zone, now=now)
    if isinstance(found, RowProblem):
        report.reject(number, found.message, found.params)
        return
    try:
        county = county_of(county=found.county, zip_code=None if found.county else found.zip)
    except ValidationFailed as exc:
        report.reject(number, exc.message, exc.params)
        return
    writer.add(found, county)
