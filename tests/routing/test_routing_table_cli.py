"""`surge routing-table`: the same table as the API, to standard output or a file; bad input named."""

from __future__ import annotations

import csv
import io
import json

from tests.routing.conftest import NIGHT


def test_csv_to_standard_output(surge_cli, demo_network):
    result = surge_cli("routing-table", "--state", "LA", "--at", "2026-11-25T02:00:00-06:00")
    assert result.returncode == 0, result.stderr
    header, *rows = list(csv.reader(io.StringIO(result.stdout)))
    assert header == ["zip", "county_fips", "primary", "backup_1"]
    assert ["70601", "22019", "new-orleans-211", "lake-charles-211"] in rows
    assert all(row[1].startswith("22") for row in rows)


def test_json_to_a_file_matches_the_api(surge_cli, demo_network, client, make_token, tmp_path):
    target = tmp_path / "table.json"
    result = surge_cli("routing-table", "--state", "48", "--at", NIGHT.isoformat(), "--format", "json",
                       "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and "table.json" in result.stderr
    api = client.get("/api/v1/routing-table.json", params={"state": "TX", "at": NIGHT.isoformat()},
                     headers={"authorization": f"Bearer {make_token('admin')}"}).json()
    assert json.loads(target.read_text()) == api


def test_bad_input_is_named_and_exits_2(surge_cli):
    for args, words in [(("--state", "ZZ"), "state"), (("--at", "2026-11-25T02:00:00"), "UTC offset"),
                        (("--at", "soon"), "ISO 8601")]:
        result = surge_cli("routing-table", *args)
        assert result.returncode == 2, (args, result)
        assert words in result.stderr and result.stdout == "", (args, result.stderr)


def test_an_unwritable_output_is_named(surge_cli, tmp_path):
    result = surge_cli("routing-table", "--state", "RI", "--output", str(tmp_path / "missing" / "table.csv"))
    assert result.returncode == 1 and "cannot write" in result.stderr and "missing" in result.stderr
