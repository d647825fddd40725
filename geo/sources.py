"""Paths and plain readers for the reference files shipped in geo/data."""

import csv
import json
from pathlib import Path
from typing import Iterator

DATA_DIR = Path(__file__).resolve().parent / "data"

COUNTIES = "counties-10m.geojson"  # for drawing
POINT_BOUNDARIES = "counties-500k.npz"  # for point lookups (geo.boundary_file)
STATES = "states-10m.geojson"
ADJACENCY = "county-adjacency.json"
ZCTA_CENTROIDS = "zcta-centroids.csv"
ZIP_COUNTY = "hud-zip-county-2020q1.csv"
POPULATION = "county-population-2019.csv"


def read_json(name: str):
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


def read_csv(name: str) -> Iterator[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def read_columns(name: str, *columns: str) -> Iterator[tuple[str, ...]]:
    """The named columns of each row, as tuples: several times quicker than
    read_csv's dicts, which matters for the large tables read at start-up."""
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        picks = [header.index(column) for column in columns]
        for row in rows:
            yield tuple(row[i] for i in picks)
