"""`surge fema import`: OpenFEMA declarations in, a report out, nothing stored twice, bad files refused whole."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlmodel import func, select

from surge.alerts import fema
from surge.alerts.models import FemaDeclarationArea
from surge.kernel.audit import AuditEntry
from surge.kernel.db import run_in_transaction, unit_of_work

SAMPLE = Path(__file__).parent / "data" / "fema" / "openfema-declarations-sample.csv"


def stored(engine) -> int:
    with unit_of_work(engine) as session:
        return session.exec(select(func.count()).select_from(FemaDeclarationArea)).one()


def sample_rows() -> tuple[list[str], list[dict]]:
    with SAMPLE.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def write(path: Path, columns: list[str], rows: list[dict]) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_the_sample_imports_and_a_second_import_stores_nothing_new(surge, engine):
    first = surge("fema", "import", str(SAMPLE))
    assert first.returncode == 0, first.stderr
    assert "read 300, stored 300, updated 0, duplicated 0, rejected 0" in first.stdout
    assert stored(engine) == 300
    again = surge("fema", "import", str(SAMPLE))
    assert again.returncode == 0
    assert "read 300, stored 0, updated 0, duplicated 300, rejected 0" in again.stdout
    assert stored(engine) == 300
    with unit_of_work(engine) as session:
        actions = session.exec(select(AuditEntry.action).where(AuditEntry.action == "fema.import")).all()
    assert len(actions) == 2
    counties = run_in_transaction(engine, fema.declared_counties, declaration="DR-4706-OK")
    assert {"40027", "40087"} <= set(counties)


def test_bad_rows_are_rejected_with_their_line_and_statewide_rows_expand(surge, engine, tmp_path):
    columns, rows = sample_rows()
    first = rows[0]
    bad = [
        {**first, "id": "x-1", "femaDeclarationString": "4706"},  # line 2
        {**first, "id": "x-2", "fipsCountyCode": "999"},  # line 3: no such county
        {**first, "id": "x-3", "fipsStateCode": "99"},  # line 4
        {**first, "id": "x-4", "fipsCountyCode": "000", "designatedArea": "Kiowa Indian Tribe (Indian Reservation)",
         "tribalRequest": "True"},  # line 5
        {**first, "id": "", "hash": "none"},  # line 6
    ]
    statewide = {**first, "id": "state-1", "femaDeclarationString": "EM-3999-RI", "fipsStateCode": "44",
                 "fipsCountyCode": "000", "designatedArea": "Statewide", "hash": "h1"}
    path = write(tmp_path / "mixed.csv", columns, [*bad, statewide, first, first])
    result = surge("fema", "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "read 8, stored 2, updated 0, duplicated 1, rejected 5" in result.stdout
    for line, words in [(2, "femaDeclarationString"), (3, "40999"), (4, "fipsStateCode 99"), (5, "tribal"),
                        (6, "id is missing")]:
        assert f"line {line}: " in result.stdout and words in result.stdout, (line, result.stdout)
    assert run_in_transaction(engine, fema.declared_counties, declaration="EM-3999-RI") == [
        "44001", "44003", "44005", "44007", "44009"]
    changed = write(tmp_path / "changed.csv", columns, [{**statewide, "hash": "h2", "designatedArea": "All"}])
    assert "stored 0, updated 1, duplicated 0" in surge("fema", "import", str(changed)).stdout


def test_missing_columns_and_a_wrong_encoding_are_refused_whole(surge, engine, tmp_path):
    columns, rows = sample_rows()
    short = write(tmp_path / "short.csv", [c for c in columns if c != "fipsCountyCode"],
                  [{k: v for k, v in rows[0].items() if k != "fipsCountyCode"}])
    result = surge("fema", "import", str(short))
    assert result.returncode == 2 and "fipsCountyCode" in result.stderr and "Traceback" not in result.stderr
    latin = tmp_path / "latin1.csv"
    text = SAMPLE.read_text(encoding="utf-8").splitlines()
    text[5] = text[5].replace("(County)", "(Condado de Doña Ana)")
    latin.write_bytes("\n".join(text).encode("latin-1"))
    result = surge("fema", "import", str(latin))
    assert result.returncode == 2 and "not UTF-8" in result.stderr and "line 6" in result.stderr
    assert stored(engine) == 0  # the rows before the bad byte are not kept either
    missing = surge("fema", "import", str(tmp_path / "nothing.csv"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    assert surge("fema", "import", str(tmp_path)).returncode == 2


def test_a_byte_order_mark_is_accepted(surge, engine, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes())
    assert "stored 300" in surge("fema", "import", str(path)).stdout
