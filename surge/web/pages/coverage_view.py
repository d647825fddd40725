"""Which center is each county's home, and the map and tables that show it, for the states a network touches."""

from __future__ import annotations

from dataclasses import dataclass, field

from geo.counties import counties_by_fips
from geo.states import state_for_county
from surge.centers.views import CenterOut
from surge.web.pages.county_map import Drawing, draw

# Colour-blind-safe fills; each center also gets its own pattern, so no two look alike even in grey.
COLOURS = ("#e69f00", "#56b4e9", "#009e73", "#f0e442", "#cc79a7", "#d55e00", "#0072b2", "#a6d854",
           "#b3b3b3", "#8da0cb")
PATTERNS = ("solid", "lines", "dots", "cross")


@dataclass(frozen=True)
class Style:
    index: int
    colour: str
    pattern: str

    @property
    def fill_id(self) -> str:
        return f"fill-{self.index}"


@dataclass
class CenterCoverage:
    center: CenterOut
    style: Style
    counties: list[tuple[str, str, str]] = field(default_factory=list)  # (fips, name, state)


@dataclass
class CoverageMap:
    states: list[tuple[str, str]]  # (USPS code, name) the network touches
    shown: list[str]  # USPS codes drawn
    drawing: Drawing
    home: dict[str, int]  # fips -> index of its home center
    coverage: list[CenterCoverage]
    gaps: dict[str, list[str]]  # state name -> names of its counties with no home center
    overlaps: dict[str, list[str]]  # fips -> names of the other centers that also cover it

    @property
    def gap_count(self) -> int:
        return sum(len(names) for names in self.gaps.values())


def style_of(index: int) -> Style:
    return Style(index, COLOURS[index % len(COLOURS)], PATTERNS[index % len(PATTERNS)])


def coverage_map(centers: list[CenterOut], *, state: str | None = None) -> CoverageMap:
    """Centers in name order; a county covered twice has the first as its home and the rest as overlaps."""
    counties = counties_by_fips()
    ordered = sorted(centers, key=lambda c: (c.name.casefold(), c.slug))
    coverage = [CenterCoverage(center, style_of(i)) for i, center in enumerate(ordered)]
    home: dict[str, int] = {}
    overlaps: dict[str, list[str]] = {}
    for i, item in enumerate(coverage):
        for fips in dict.fromkeys([*item.center.counties, *item.center.area_counties]):
            if fips not in counties:
                continue
            county = counties[fips]
            item.counties.append((fips, county.name, county.state))
            if fips in home:
                overlaps.setdefault(fips, []).append(item.center.name)
            else:
                home[fips] = i
        item.counties.sort(key=lambda c: (c[2], c[1]))
    touched = {state_for_county(fips) for fips in home}
    states = sorted(((s.code, s.name) for s in touched), key=lambda s: s[1])
    codes = {s.code: s.fips for s in touched}
    shown = [state] if state in codes else sorted(codes)
    drawing = draw(tuple(sorted(codes[code] for code in shown)))
    gaps: dict[str, list[str]] = {}
    for shape in drawing.shapes:
        if shape.fips not in home:
            gaps.setdefault(counties[shape.fips].state_name, []).append(shape.name)
    return CoverageMap(states=states, shown=shown, drawing=drawing, home=home, coverage=coverage,
                       gaps={name: sorted(found) for name, found in sorted(gaps.items())}, overlaps=overlaps)
