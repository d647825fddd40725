"""An incident's area on a county map: the states it touches drawn, its counties shaded."""

from __future__ import annotations

from dataclasses import dataclass

from geo.counties import counties_by_fips
from surge.web.pages.county_map import Drawing, draw


@dataclass(frozen=True)
class AreaMap:
    drawing: Drawing
    covered: frozenset[str]
    counties: list[tuple[str, str, str]]  # (fips, name, state) of the area, by state then name


def area_map(counties: list[str], *, states: tuple[str, ...] = ()) -> AreaMap:
    """`states` (two-digit FIPS codes) are drawn even when no county of theirs is chosen yet."""
    known = counties_by_fips()
    chosen = [fips for fips in dict.fromkeys(counties) if fips in known]
    drawn = tuple(sorted({fips[:2] for fips in chosen} | set(states)))
    listed = sorted(((fips, known[fips].name, known[fips].state) for fips in chosen), key=lambda c: (c[2], c[1]))
    return AreaMap(draw(drawn) if drawn else Drawing(0.0, 0.0, ()), frozenset(chosen), listed)
