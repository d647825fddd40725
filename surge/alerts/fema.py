"""OpenFEMA disaster declarations: imported from DisasterDeclarationsSummaries CSV, read back as counties.

One import is one transaction: a file that fails part-way (a bad byte, too many rows) stores nothing, so no
declaration is ever half-written. Rows are matched by OpenFEMA's own `id`; re-importing a file stores nothing
new, and a row whose `hash` changed is updated in place.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Iterator

from sqlmodel import Session, select

import geo
from geo.states import STATES
from surge.access import permissions
from surge.access.principal import Principal
from surge.alerts.geocodes import state_counties
from surge.alerts.models import DECLARATION_PATTERN, FemaDeclarationArea
from surge.kernel import audit
from surge.kernel.errors import NotFound, ValidationFailed
from surge.kernel.i18n import N_

REQUIRED_COLUMNS = ("femaDeclarationString", "incidentType", "declarationTitle", "declarationDate",
                    "fipsStateCode", "fipsCountyCode", "designatedArea", "id")
MAX_FILE_BYTES = 200_000_000  # the whole OpenFEMA set is some 70,000 rows, about 30 MB
MAX_ROWS = 500_000
MAX_LINE_BYTES = 100_000
KEEP_REASONS = 20
BATCH = 500
_DECLARATION = re.compile(DECLARATION_PATTERN)
_TRIBAL_WORDS = ("tribe", "tribal", "indian reservation", "pueblo", "nation", "rancheria", "band of")


@dataclass
class ImportReport:
    read: int = 0
    stored: int = 0
    updated: int = 0
    duplicated: int = 0
    rejected: int = 0
    reasons: list[str] = field(default_factory=list)  # "line N: why", the first KEEP_REASONS

    def reject(self, line: int, why: str) -> None:
        self.rejected += 1
        if len(self.reasons) < KEEP_REASONS:
            self.reasons.append(f"line {line}: {why}")


def _refuse(message: str, **params) -> ValidationFailed:
    return ValidationFailed(message, params=params, fields={"file": N_("This file cannot be imported.")})


def _text_lines(stream: IO[bytes]) -> Iterator[str]:
    """The file as UTF-8 lines, read as it streams (a byte-order mark is dropped); a bad byte stops it all.

    Lines are split as bytes: a newline byte never occurs inside a UTF-8 character, so each line decodes alone
    and a bad byte is reported on its own line.
    """
    number = 0
    while raw := stream.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise _refuse(N_("Line %(line)s of the file is longer than %(limit)s bytes."), line=number,
                          limit=f"{MAX_LINE_BYTES:,}")
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _refuse(N_("The file is not UTF-8 text (line %(line)s). Save it as UTF-8 and try again."),
                          line=number) from None


def _tribal(row: dict) -> bool:
    area = (row.get("designatedArea") or "").lower()
    return (row.get("tribalRequest") or "").strip().lower() == "true" or any(w in area for w in _TRIBAL_WORDS)


def _date(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _checked(row: dict) -> tuple[dict | None, str]:
    """(the row as table fields, "") or (None, why it is refused)."""
    declaration = (row.get("femaDeclarationString") or "").strip()
    if not _DECLARATION.match(declaration):
        return None, f"femaDeclarationString {declaration[:30]!r} is not like DR-4706-OK"
    row_id = (row.get("id") or "").strip()
    if not row_id or len(row_id) > 64:
        return None, "id is missing or longer than 64 characters"
    state, county = (row.get("fipsStateCode") or "").strip(), (row.get("fipsCountyCode") or "").strip()
    if not (state.isdigit() and len(state) <= 2 and county.isdigit() and len(county) <= 3):
        return None, f"fipsStateCode {state[:10]!r} and fipsCountyCode {county[:10]!r} are not FIPS codes"
    state, county = state.zfill(2), county.zfill(3)
    if state not in STATES:
        return None, f"fipsStateCode {state} is not a US state or territory"
    fips = state + county
    if county == "000":
        if _tribal(row):
            return None, "a tribal area with no county code: it has no county equivalent to store"
    else:
        try:
            geo.county(fips)
        except (geo.UnknownCode, geo.InvalidInput):
            return None, f"county FIPS code {fips} is not a known US county"
    return {"row_id": row_id, "row_hash": (row.get("hash") or "").strip()[:64], "declaration": declaration,
            "incident_type": (row.get("incidentType") or "").strip()[:40],
            "title": " ".join((row.get("declarationTitle") or "").split())[:200],
            "declared_at": _date(row.get("declarationDate") or ""), "county_fips": fips,
            "designated_area": " ".join((row.get("designatedArea") or "").split())[:120]}, ""


def _store(session: Session, batch: list[dict], report: ImportReport) -> None:
    ids = [fields["row_id"] for fields in batch]
    existing = {row.row_id: row for row in
                session.exec(select(FemaDeclarationArea).where(FemaDeclarationArea.row_id.in_(ids))).all()}
    for fields in batch:
        found = existing.get(fields["row_id"])
        if found is None:
            session.add(FemaDeclarationArea(**fields))
            report.stored += 1
        elif found.row_hash != fields["row_hash"]:
            for name, value in fields.items():
                setattr(found, name, value)
            session.add(found)
            report.updated += 1
        else:
            report.duplicated += 1
    session.flush()


def import_csv(session: Session, *, stream: IO[bytes], actor: Principal) -> ImportReport:
    """Read a DisasterDeclarationsSummaries CSV into the table; the caller's transaction holds it all."""
    permissions.require(actor, permissions.MANAGE_INCIDENTS)
    reader = csv.DictReader(_text_lines(stream))
    try:
        columns = reader.fieldnames or []
    except csv.Error as exc:
        raise _refuse(N_("The file is not CSV: %(reason)s"), reason=str(exc)[:200]) from None
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise _refuse(N_("The file lacks the column(s) %(columns)s of OpenFEMA's DisasterDeclarationsSummaries."),
                      columns=", ".join(missing))
    report = ImportReport()
    seen: set[str] = set()
    batch: list[dict] = []
    try:
        for row in reader:
            report.read += 1
            if report.read > MAX_ROWS:
                raise _refuse(N_("The file has more than %(limit)s rows; split it and import each part."),
                              limit=f"{MAX_ROWS:,}")
            fields, why = _checked(row)
            if fields is None:
                report.reject(reader.line_num, why)
            elif fields["row_id"] in seen:
                report.duplicated += 1
            else:
                seen.add(fields["row_id"])
                batch.append(fields)
                if len(batch) >= BATCH:
                    _store(session, batch, report)
                    batch = []
    except csv.Error as exc:
        raise _refuse(N_("The file is not CSV (line %(line)s): %(reason)s"), line=reader.line_num,
                      reason=str(exc)[:200]) from None
    if batch:
        _store(session, batch, report)
    audit.record(session, actor=actor.actor, action="fema.import", target_type="fema_declarations",
                 diff={"read": report.read, "stored": report.stored, "updated": report.updated,
                       "duplicated": report.duplicated, "rejected": report.rejected})
    return report


def declared_counties(session: Session, *, declaration: str) -> list[str]:
    """The sorted county FIPS codes a declaration names (a statewide row gives every county of its state)."""
    rows = session.exec(select(FemaDeclarationArea.county_fips)
                        .where(FemaDeclarationArea.declaration == declaration)).all()
    if not rows:
        raise NotFound(N_("There is no FEMA declaration %(declaration)s in the imported OpenFEMA data."),
                       params={"declaration": declaration},
                       fields={"area.fema_declaration": N_("Unknown declaration.")})
    counties: set[str] = set()
    for fips in rows:
        counties.update(state_counties(fips[:2]) if fips.endswith("000") else [fips])
    return sorted(counties)
