"""US counties and county-equivalents: names, states, shapes, neighbours."""

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import shapely
from shapely.geometry.base import BaseGeometry

from . import sources
from ._lazy import once
from .errors import UnknownCode
from .polygonal import polygonal_part
from .states import state_for_county
from .validate import parse_fips


@dataclass(frozen=True)
class County:
    fips: str
    name: str
    state: str  # USPS abbreviation, e.g. "TX"
    state_name: str
    # None where the 1:10M boundaries have no shape (Falls Church, VA, 51610).
    geometry: BaseGeometry | None = field(repr=False, compare=False)
    neighbours: tuple[str, ...] = ()
    population: int | None = None  # 2019 estimate; unknown for territories


@once
def _counties() -> dict[str, County]:
    adjacency = sources.read_json(sources.ADJACENCY)
    population = {row["fips"]: int(row["population_2019"]) for row in sources.read_csv(sources.POPULATION)}
    result: dict[str, County] = {}
    for feature in sources.read_json(sources.COUNTIES)["features"]:
        fips = feature["id"]
        state = state_for_county(fips)
        shape = feature["geometry"]
        # A handful of simplified outlines touch themselves; repair them so
        # area operations (coverage) never meet an invalid polygon.
        geometry = polygonal_part(shapely.geometry.shape(shape)) if shape else None
        result[fips] = County(
            fips=fips,
            name=feature["properties"]["name"],
            state=state.code,
            state_name=state.name,
            geometry=geometry,
            neighbours=tuple(adjacency.get(fips, ())),
            population=population.get(fips),
        )
    return result


def county(fips: str) -> County:
    """The county with this 5-digit FIPS code.

    Raises InvalidInput for a malformed code and UnknownCode for one that is
    not in the reference data.
    """
    code = parse_fips(fips)
    found = _counties().get(code)
    if found is None:
        raise UnknownCode(f"There is no county with FIPS code {code}.")
    return found


def all_counties() -> tuple[County, ...]:
    """Every county, in the stable order of the boundary file."""
    return tuple(_counties().values())


def counties_by_fips() -> Mapping[str, County]:
    """Read-only mapping for callers that look many codes up in a loop."""
    return MappingProxyType(_counties())
