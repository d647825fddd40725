"""Importing needs from a center's I&R export: a mapping, bad rows reported, duplicates counted, bounds kept."""

import io
import json

import pytest
from sqlmodel import select

from surge.access.principal import system
from surge.kernel.audit import AuditEntry
from surge.kernel.clock import utcnow
from surge.kernel.db import run_in_transaction, unit_of_work
from surge.kernel.errors import ValidationFailed
from surge.kernel.validation import validate
from surge.needs.imports import import_csv
from surge.needs.mapping import ImportMapping
from surge.needs.models import NeedReport
from tests.needs.setup import EXERCISE, incidents  # noqa: F401

MAPPING = {
    "columns": {"logged_at": "Call Date", "zip": "Zip", "county": "County", "category": "Need", "met": "Met?",
                "unmet_reason": "Why", "external_id": "Record"},
    "categories": {"Emergency Food": "food", "Roof tarp": "housing_repair"},
    "unmet_reasons": {"Waiting list": "waitlist"},
    "date_format": "%m/%d/%Y %H:%M",
}
GOOD = """Call Date,Zip,County,Need,Met?,Why,Record,Caller notes
09/02/2026 10:15,77002,,Emergency Food,yes,,R-1,x
09/02/2026 10:20,,48245,BH-1800.8500,no,Waiting list,R-2,
09/02/2026 11:00,77550-1234,,roof tarp,N,no_service,R-3,
09/03/2026 08:00,,48201,water,1,,R-4,
"""
BAD_ROWS = """Call Date,Zip,County,Need,Met?,Why,Record,Caller notes
09/02/2026 10:15,77002,,Emergency Food,yes,,R-10,
yesterday,77002,,Emergency Food,yes,,R-11,
09/02/2026 10:15,00000,,Emergency Food,yes,,R-12,
09/02/2026 10:15,77002,,Pizza,yes,,R-13,
09/02/2026 10:15,77002,,Emergency Food,no,,R-14,
09/02/2026 10:15,77002,,Emergency Food,yes,Waiting list,R-15,
09/02/2026 10:15,77002,,Emergency Food,maybe,,R-16,
09/02/2026 10:15,,,Emergency Food,yes,,R-17,
09/02/2026 10:15,77002,,Emergency Food
09/02/2099 10:15,77002,,Emergency Food,yes,,R-19,
09/02/2026 10:15,77002,,Emergency Food,yes,,R 20 has spaces,
09/02/2026 10:15,77002,,Emergency Food,yes,,R-10,
09/02/2026 10:16,77002,,Emergency Food,yes,,,
"""


def run(engine, text: bytes | str, *, mapping=None, max_bytes=1_000_000, **options):
    data = text.encode() if isinstance(text, str) else text
    return run_in_transaction(engine, import_csv, incident_slug=EXERCISE, center_slug="houston-211",
                              mapping=validate(ImportMapping, mapping or MAPPING), stream=io.BytesIO(data),
                              actor=system("test"), now=utcnow(), max_bytes=max_bytes, **options)


def rows(engine):
    with unit_of_work(engine) as session:
        return session.exec(select(NeedReport).order_by(NeedReport.id)).all()


def test_a_good_file_is_stored_with_its_mapping(incidents, engine):
    report = run(engine, "\ufeff" + GOOD)  # a byte-order mark is fine
    assert (report.read, report.stored, report.duplicates, report.rejected) == (4, 4, 0, 0)
    stored = rows(engine)
    assert [(r.category, r.county_fips, r.zip, r.met, r.unmet_reason, r.external_id) for r in stored] == [
        ("food", "48201", "77002", True, None, "R-1"),
        ("shelter", "48245", None, False, "waitlist", "R-2"),
        ("housing_repair", "48167", "77550", False, "no_service", "R-3"),
        ("water", "48201", None, True, None, "R-4"),
    ]
    assert all(r.source == "import" and r.import_batch == report.batch and r.logged_by is None for r in stored)
    assert stored[0].logged_at.isoformat() == "2026-09-02T15:15:00+00:00"  # the incident's zone: CDT
    with unit_of_work(engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "need_report.import")).one()
        assert entry.target_id == report.batch and '"stored": 4' in entry.diff


def test_importing_again_stores_nothing_twice(incidents, engine):
    run(engine, GOOD)
    again = run(engine, GOOD)
    assert (again.read, again.stored, again.duplicates) == (4, 0, 4)
    assert len(rows(engine)) == 4


def test_each_bad_row_is_reported_by_line_and_the_rest_stored(incidents, engine):
    report = run(engine, BAD_ROWS)
    assert (report.read, report.stored, report.duplicates, report.rejected) == (13, 2, 1, 10)
    lines = {rejection.line: rejection.message for rejection in report.rejections}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert "date" in lines[3] and "ZIP" in lines[4] and "category" in lines[5]
    assert "why" in lines[6] and "met" in lines[7].lower() and "neither" in lines[9]
    assert "future" in lines[11] and "record id" in lines[12]
    assert [r.external_id for r in rows(engine)] == ["R-10", None]


@pytest.mark.parametrize("data, words", [
    ("Call Date,Zip,Need,Met?\n09/02/2026 10:15,77002,food,yes\n".encode("utf-16"), "UTF-8"),
    ("Call Date,Zip,County,Need,Met?,Why,Record\n09/02/2026,77002,,Café,yes,,R-1\n".encode("latin-1"), "UTF-8"),
    (b"Date,Zip\n09/02/2026,77002\n", "no column named Call Date"),
    (b"", "empty"),
])
def test_a_file_that_cannot_be_read_is_refused_whole(incidents, engine, data, words):
    with pytest.raises(ValidationFailed) as refused:
        run(engine, data)
    assert words in refused.value.message % refused.value.params
    assert rows(engine) == []


def test_an_oversized_file_or_one_with_too_many_rows_stores_nothing(incidents, engine):
    with pytest.raises(ValidationFailed) as refused:
        run(engine, GOOD * 3, max_bytes=len(GOOD) + 10)
    assert "larger than" in refused.value.message
    with pytest.raises(ValidationFailed) as refused:
        run(engine, GOOD, max_rows=3)
    assert "more than" in refused.value.message
    assert rows(engine) == []


def test_an_overlong_line_is_one_rejected_row(incidents, engine):
    long_line = "09/02/2026 10:15,77002,,Emergency Food,yes,," + "R" * 20_000 + ",\n"
    report = run(engine, GOOD + long_line)
    assert (report.stored, report.rejected, report.rejections[0].line) == (4, 1, 6)


def test_a_mapping_must_name_a_place_and_known_codes():
    for bad in ({"columns": {"logged_at": "a", "category": "b", "met": "c"}},
                {**MAPPING, "categories": {"x": "pizza"}}, {**MAPPING, "surprise": 1}):
        with pytest.raises(ValidationFailed):
            validate(ImportMapping, bad)


def test_progress_is_reported_every_n_rows(incidents, engine):
    seen = []
    run(engine, GOOD, progress=seen.append, progress_every=2)
    assert seen == [2, 4]


def test_the_cli_imports_and_reports(incidents, engine, surge, tmp_path):
    (tmp_path / "mapping.json").write_text(json.dumps(MAPPING))
    (tmp_path / "export.csv").write_text(BAD_ROWS)
    result = surge("needs", "import", "--incident", EXERCISE, "--center", "houston-211", "--mapping",
                   str(tmp_path / "mapping.json"), str(tmp_path / "export.csv"))
    assert result.returncode == 0, result.stderr
    assert "read 13, stored 2, duplicates 1, rejected 10" in result.stdout
    assert "line 4: ZIP code 00000 is not a known US ZIP code." in result.stdout


def test_the_cli_refuses_a_bad_mapping_or_file(incidents, engine, surge, tmp_path):
    (tmp_path / "mapping.json").write_text("{not json")
    (tmp_path / "export.csv").write_bytes("Call Date,Zip,Need,Met?,Café\n".encode("latin-1"))
    base = ("needs", "import", "--incident", EXERCISE, "--center", "houston-211", "--mapping")
    bad_mapping = surge(*base, str(tmp_path / "mapping.json"), str(tmp_path / "export.csv"))
    assert bad_mapping.returncode == 2 and "not UTF-8 JSON" in bad_mapping.stderr
    (tmp_path / "mapping.json").write_text(json.dumps(MAPPING))
    bad_file = surge(*base, str(tmp_path / "mapping.json"), str(tmp_path / "export.csv"))
    assert bad_file.returncode == 2 and "not UTF-8" in bad_file.stderr
    closed = surge("needs", "import", "--incident", "draft-flood", "--center", "houston-211", "--mapping",
                   str(tmp_path / "mapping.json"), str(tmp_path / "export.csv"))
    assert closed.returncode == 2 and "only while it is active" in closed.stderr
