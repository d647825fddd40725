"""The Asterisk dialplan include, read back into the table it was written from."""

from __future__ import annotations

import re

from surge.kernel.db import run_in_transaction
from surge.routing import exports
from surge.routing.table import RoutingTable, TableRow, scheduled_table
from tests.conftest import TEST_ACTOR
from tests.routing.conftest import DAY, NIGHT

LINE = re.compile(r"^(?:exten => (?P<exten>[^,]+),(?P<first>1)|\s*same => n),(?P<app>\w+)\((?P<args>.*)\)$")


def parse_dialplan(text: str) -> dict:
    """{context: {extension: [(application, arguments), ...]}}, from `exten =>`/`same =>` lines (comments dropped)."""
    contexts: dict[str, dict[str, list[tuple[str, str]]]] = {}
    context = extension = None
    for raw in text.splitlines():
        line = re.sub(r"(?<!\\);.*$", "", raw).rstrip()
        if not line:
            continue
        if line.startswith("["):
            context = line.strip("[]")
            contexts[context] = {}
            continue
        match = LINE.match(line)
        assert match, f"not a dialplan line: {raw!r}"
        if match["exten"]:
            extension = match["exten"]
            assert extension not in contexts[context], f"{extension} twice in {context}"
            contexts[context][extension] = []
        contexts[context][extension].append((match["app"], match["args"]))
    return contexts


def table_from_dialplan(text: str) -> list[tuple[str, str, list[str]]]:
    """(zip, county, centers in order) for every ZIP extension, as the dialplan would try them."""
    plan = parse_dialplan(text)
    sets = {name: [args.removeprefix("SURGE_CENTER=") for app, args in steps
                   if app == "Set" and args.startswith("SURGE_CENTER=")]
            for name, steps in plan["surge-sets"].items()}
    rows = []
    for zip_code, steps in plan["surge-route"].items():
        if not zip_code.isdigit():
            continue
        county = next(args.removeprefix("SURGE_COUNTY=") for app, args in steps if app == "Set")
        called = [args.split(",")[1] for app, args in steps if app == "Gosub"]
        assert steps[-1] == ("Return", "")
        rows.append((zip_code, county, sets[called[0]] if called else []))
    return rows


def test_the_demo_table_reads_back_the_same(engine, demo_network):
    for at in (DAY, NIGHT):
        table = run_in_transaction(engine, scheduled_table, state=None, at=at, national_fallback=None,
                                   actor=TEST_ACTOR)
        text = exports.asterisk_dialplan(table)
        assert table_from_dialplan(text) == [(row.zip, row.county_fips, row.targets) for row in table.rows]
    assert "exten => 77701,1,Set(SURGE_COUNTY=48245)" in text


def test_each_center_is_dialled_in_order_and_unusable_uris_are_not_dialled():
    table = RoutingTable(state=None, at=DAY, rows=[
        TableRow("77701", "48245", ["b", "a", "c", "d"]), TableRow("77002", "48201", ["a"]),
        TableRow("79901", "48141", [])],
        sip_uris={"a": "sip:a@a.example;transport=tcp", "b": "sip:b@b.example", "c": None,
                  "d": "sip:d@d.example,evil&PJSIP/x"})
    text = exports.asterisk_dialplan(table, endpoint="centers", ring_seconds=20)
    plan = parse_dialplan(text)
    assert plan["surge-sets"]["1"] == [
        ("NoOp", "Surge centers: b a c d"),
        ("Set", "SURGE_CENTER=b"), ("Dial", "PJSIP/centers/sip:b@b.example,20"),
        ("Set", "SURGE_CENTER=a"), ("Dial", "PJSIP/centers/sip:a@a.example\\;transport=tcp,20"),
        ("Set", "SURGE_CENTER=c"), ("NoOp", "Surge: c has no SIP URI"),
        ("Set", "SURGE_CENTER=d"), ("NoOp", "Surge: the SIP URI of d cannot be dialled from here"),
        ("Return", "")]
    assert plan["surge-route"]["79901"] == [("Set", "SURGE_COUNTY=48141"), ("Return", "")]
    assert plan["surge-route"]["_X."] == [("Set", "SURGE_COUNTY="), ("Return", "")]
    assert table_from_dialplan(text) == [("77701", "48245", ["b", "a", "c", "d"]), ("77002", "48201", ["a"]),
                                         ("79901", "48141", [])]


def test_the_cli_writes_the_dialplan_to_a_file(surge_cli, demo_network, tmp_path):
    target = tmp_path / "extensions_surge.conf"
    result = surge_cli("routing-table", "--state", "TX", "--at", NIGHT.isoformat(), "--format", "asterisk",
                       "--output", str(target))
    assert result.returncode == 0, result.stderr
    rows = {zip_code: targets for zip_code, _county, targets in table_from_dialplan(target.read_text())}
    assert rows["77701"] == ["houston-211", "beaumont-211"]
