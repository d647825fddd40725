"""US counties and county-equivalents: names, states, shapes, neighbours."""

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from . import boundary_file, sources
from ._lazy import once
from .errors import NewerThanData, UnknownCode
from .newer_codes import NEWER_CODES
from .overlaps import remove_overlaps
from .polygonal import polygonal_part
from .states import state_for_county
from .validate import parse_fips


@dataclass(frozen=True)
class County:
    fips: str
    name: str
    state: str  # USPS abbreviation, e.g. "TX"
    state_name: str
    neighbours: tuple[str, ...] = ()
    population: int | None = None  # 2019 estimate; unknown for territories

    @property
    def geometry(self) -> BaseGeometry | None:
        """The 1:10M outline, for drawing maps (read on first use).

        Point lookups use the 1:500k boundaries instead (geo.index). None
        where 1:10M has no shape: Falls Church, VA (51610) and Rose Island
        and Swains Island, AS (60030, 60040).
        """
        return drawing_outlines().get(self.fips)


@once
def data_vintage() -> str:
    """The year the county boundaries (and so the county codes) describe."""
    return boundary_file.read_table(sources.DATA_DIR / sources.POINT_BOUNDARIES).vintage


@once
def _counties() -> dict[str, County]:
    # Names and codes come from the 1:500k table, which lists every county a
    # point can resolve to; reading it parses no shapes, so this is quick.
    table = boundary_file.read_table(sources.DATA_DIR / sources.POINT_BOUNDARIES)
    adjacency = sources.read_json(sources.ADJACENCY)
    population = {row["fips"]: int(row["population_2019"]) for row in sources.read_csv(sources.POPULATION)}
    result: dict[str, County] = {}
    for fips, name in zip(table.fips, table.names):
        state = state_for_county(fips)
        result[fips] = County(
            fips=fips,
            name=name,
            state=state.code,
            state_name=state.name,
            neighbours=tuple(adjacency.get(fips, ())),
            population=population.get(fips),
        )
    return result


@once
def drawing_outlines() -> dict[str, BaseGeometry]:
    """The 1:10M outlines by FIPS code, repaired and made disjoint.

    A handful of simplified outlines touch themselves; make_valid repairs
    them, but a repaired sliver can reach over a neighbour's line (Morehouse,
    Ouachita and Richland, LA), so the shared area is left to the lower FIPS
    code, as on a border for point lookups.
    """
    features = sorted(sources.read_json(sources.COUNTIES)["features"], key=lambda f: f["id"])
    raw = [shapely.geometry.shape(f["geometry"]) for f in features if f["geometry"]]
    fips = [f["id"] for f in features if f["geometry"]]
    repaired = np.flatnonzero(~shapely.is_valid(raw))
    outlines = remove_overlaps(np.array([polygonal_part(g) for g in raw], dtype=object), repaired)
    return dict(zip(fips, outlines))


def county(fips: str) -> County:
    """The county with this 5-digit FIPS code.

    Raises InvalidInput for a malformed code and UnknownCode for one that is
    not in the reference data: NewerThanData, a kind of UnknownCode, for a
    real code created after the data was drawn.
    """
    code = parse_fips(fips)
    found = _counties().get(code)
    if found is not None:
        return found
    newer = NEWER_CODES.get(code)
    if newer is not None:
        vintage = data_vintage()
        formerly = f"; there its ground is part of {', '.join(newer.formerly)}" if newer.formerly else ""
        raise NewerThanData(
            f"County FIPS code {code} ({newer.name}) dates from {newer.since}, later than the county "
            f"boundaries in use (Census {vintage}){formerly}.",
            code=code, name=newer.name, since=newer.since, vintage=vintage, formerly=newer.formerly)
    raise UnknownCode(f"There is no county with FIPS code {code}.")


def all_counties() -> tuple[County, ...]:
    """Every county, in ascending FIPS order."""
    return tuple(_counties().values())


def counties_by_fips() -> Mapping[str, County]:
    """Read-only mapping for callers that look many codes up in a loop."""
    return MappingProxyType(_counties())
