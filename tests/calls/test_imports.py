"""`surge calls import`: CSV and queue_log files with garbage in them, read line by line, reported by line."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlmodel import select

from surge.calls.imports import queue_log_event
from surge.calls.models import CallEvent
from surge.kernel.db import unit_of_work


@pytest.fixture
def surge(surge, make_center):
    make_center("houston-211")
    make_center("austin-211")
    return surge


def events(engine):
    with unit_of_work(engine) as session:
        return [(e.call_id, e.event, e.at.isoformat(), e.to_center, e.caller_county)
                for e in session.exec(select(CallEvent).order_by(CallEvent.call_id, CallEvent.at)).all()]


CSV = (b"\xef\xbb\xbfcall_id,event,at,to_center,caller_zip,language\r\n"
       b"c1,offered,2026-11-27T08:00:00-06:00,,77002,es\r\n"
       b"c1,answered,2026-11-27T08:00:40-06:00,,,\r\n"
       b"just some garbage\r\n"
       b"\r\n"
       b"c2,offered,2026-11-27T08:01:00-06:00,,99999,\r\n"
       b"c2,overflowed,2026-11-27T08:01:30-06:00,austin-211,,\r\n"
       b"caf\xe9,offered,2026-11-27T08:02:00-06:00,,,\r\n"  # Latin-1, not UTF-8
       b"c3,offered,yesterday,,,\r\n"
       b"c4,overflowed,2026-11-27T08:03:00-06:00,nowhere-211,,\r\n"
       b'"c5,offered,2026-11-27T08:04:00-06:00,,,\r\n')  # an unclosed quote


def test_a_csv_file_imports_every_good_line_and_reports_every_bad_one(surge, tmp_path, engine):
    path = tmp_path / "calls.csv"
    path.write_bytes(CSV)
    result = surge("calls", "import", "--format", "csv", "--center", "houston-211", str(path))
    assert result.returncode == 0, result.stderr
    assert "read 11 lines: 9 call events, 1 other lines skipped" in result.stdout
    assert "stored 4, already stored 0, rejected 5" in result.stdout
    for line, text in ((4, "line: This line does not have one value"), (8, "line: This line is not UTF-8"),
                       (9, "at: "), (10, "to_center: There is no such center"), (11, "line: ")):
        assert f"line {line}: {text}" in result.stdout, (line, result.stdout)
    assert "Traceback" not in result.stdout + result.stderr
    assert events(engine) == [
        ("c1", "offered", "2026-11-27T14:00:00+00:00", None, "48201"),
        ("c1", "answered", "2026-11-27T14:00:40+00:00", None, None),
        ("c2", "offered", "2026-11-27T14:01:00+00:00", None, None),
        ("c2", "overflowed", "2026-11-27T14:01:30+00:00", "austin-211", None)]
    again = surge("calls", "import", "--format", "csv", "--center", "houston-211", str(path))
    assert again.returncode == 0 and "stored 0, already stored 4, rejected 5" in again.stdout


def test_a_csv_line_for_another_center_is_refused(surge, tmp_path, engine):
    path = tmp_path / "calls.csv"
    path.write_text("center,call_id,event,at\nhouston-211,k1,offered,2026-11-27T08:00:00Z\n"
                    "austin-211,k2,offered,2026-11-27T08:00:00Z\n")
    result = surge("calls", "import", "--format", "csv", "--center", "houston-211", str(path))
    assert result.returncode == 0 and "line 3: center: This line is for another center" in result.stdout
    assert [e[0] for e in events(engine)] == ["k1"]


QUEUE_LOG = """\
1764252000|NONE|NONE|NONE|QUEUESTART||
1764252001|NONE|support|SIP/100|AGENTLOGIN|
1764252100|1764252100.1|support|NONE|ENTERQUEUE||5551234567|1
1764252105|1764252100.1|support|SIP/100|RINGNOANSWER|4000
1764252112|1764252100.1|support|SIP/101|CONNECT|12|1764252100.2|3
1764252400|1764252100.1|support|SIP/101|COMPLETECALLER|12|288|1
1764252200|1764252200.1|support|NONE|ENTERQUEUE||5551230000|1
1764252203|1764252200.1|support|NONE|ABANDON|1|1|3
this is not a queue_log line
17642523xx|1764252300.1|support|NONE|ENTERQUEUE||5551231111|1
1764252300|1764252300.1|support|NONE|ENTERQUEUE||5551231111|1
1764252360|1764252300.1|support|NONE|EXITWITHTIMEOUT|1|1|60
1764252500|1764252500.1|support|NONE|ENTERQUEUE||5551232222|1
1764252510|1764252500.1|support|SIP/102|CONNECT|10|1764252500.2|2
1764252600|1764252500.1|support|SIP/102|TRANSFER|5000|default|10|90
1764252700|1764252700.1|support|NONE|ENTERQUEUE||5551233333|1
1764252701|1764252700.1|support|NONE|EXITEMPTY|1|1|1
"""


def test_a_queue_log_maps_asterisk_events_and_skips_the_rest(surge, tmp_path, engine):
    path = tmp_path / "queue_log"
    path.write_bytes(QUEUE_LOG.encode() + b"1764252800|\xff\xfe|support|NONE|ENTERQUEUE||1|1\n")
    result = surge("calls", "import", "--format", "queue_log", "--center", "houston-211", str(path))
    assert result.returncode == 0, result.stderr
    assert "read 18 lines: 15 call events, 3 other lines skipped" in result.stdout
    assert "stored 12, already stored 0, rejected 3" in result.stdout
    assert "line 9: line: This is not a queue_log line" in result.stdout
    assert "line 10: at: The line's time is not a Unix time" in result.stdout
    assert "line 18: line: This line is not UTF-8 text." in result.stdout
    kinds = [(call_id, kind) for call_id, kind, *_ in events(engine)]
    assert kinds == [("1764252100.1", "offered"), ("1764252100.1", "answered"), ("1764252100.1", "ended"),
                     ("1764252200.1", "offered"), ("1764252200.1", "abandoned"),
                     ("1764252300.1", "offered"), ("1764252300.1", "abandoned"),
                     ("1764252500.1", "offered"), ("1764252500.1", "answered"), ("1764252500.1", "ended"),
                     ("1764252700.1", "offered"), ("1764252700.1", "abandoned")]


def test_queue_log_lines_as_a_pure_function():
    assert queue_log_event("1764252112|c9|q|SIP/1|CONNECT|12|x|3", center="houston-211") == {
        "center": "houston-211", "call_id": "c9", "event": "answered",
        "at": datetime(2025, 11, 27, 14, 1, 52, tzinfo=timezone.utc)}
    assert type(queue_log_event("1764252112|c9|q|SIP/1|RINGNOANSWER|1000", center="x")).__name__ == "Skip"
    assert "line" in queue_log_event("1764252112|c9", center="x")


def test_large_files_show_progress_and_cap_the_rejected_list(surge, tmp_path, engine):
    path = tmp_path / "big.csv"
    rows = ["call_id,event,at"]
    for i in range(6000):
        rows.append(f"big-{i},offered,2026-11-27T08:00:00Z" if i % 50 else f"big-{i},exploded,2026-11-27T08:00:00Z")
    rows.extend(f"garbage {i}" + "x" * 60 for i in range(3000))
    path.write_text("\n".join(rows) + "\n")
    result = surge("calls", "import", "--format", "csv", "--center", "houston-211", str(path))
    assert result.returncode == 0
    assert "lines read (" in result.stderr and "100 %" in result.stderr
    assert "stored 5,880, already stored 0, rejected 3,120" in result.stdout
    assert "rejected lines (the first 50 of 3,120):" in result.stdout
    listed = [line for line in result.stdout.splitlines() if line.startswith("  line ")]
    assert len(listed) == 50 and listed[0].startswith("  line 2: event:") and listed[1].startswith("  line 52:")


def test_unusable_files_and_centers_exit_non_zero(surge, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("call_id,event,at\nu1,offered,2026-11-27T08:00:00Z\n")
    unknown = surge("calls", "import", "--format", "csv", "--center", "nowhere-211", str(good))
    assert unknown.returncode == 1 and "There is no center nowhere-211" in unknown.stderr
    missing = surge("calls", "import", "--format", "csv", "--center", "houston-211", str(tmp_path / "absent.csv"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr
    folder = surge("calls", "import", "--format", "csv", "--center", "houston-211", str(tmp_path))
    assert folder.returncode == 1 and "cannot read" in folder.stderr
    header = tmp_path / "header.csv"
    header.write_text("id,kind,when\n1,offered,2026-11-27T08:00:00Z\n")
    bad_header = surge("calls", "import", "--format", "csv", "--center", "houston-211", str(header))
    assert bad_header.returncode == 1 and "unknown or repeated: id, kind, when" in bad_header.stderr
    binary = tmp_path / "picture.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    garbage = surge("calls", "import", "--format", "queue_log", "--center", "houston-211", str(binary))
    assert garbage.returncode == 1 and "no line of the file held a usable call event" in garbage.stderr
    assert "Traceback" not in garbage.stdout + garbage.stderr
