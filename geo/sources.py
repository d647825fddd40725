"""Paths and plain readers for the reference files shipped in geo/data."""

import csv
import json
from pathlib import Path
from typing import Iterator

DATA_DIR = Path(__file__).resolve().parent / "data"

COUNTIES = "counties-10m.geojson"
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
