"""The network's call tally and every center's, from one pass over the window's calls.

`metrics.tally` counts one center (or the network) a statement at a time, which suits the metrics API. A
brief wants the network and every affected center for one window: a statement a center would read the
window once per center. Here two grouped statements read it: the calls by (center, overflowed-to center),
and the calls that stayed put by (caller's county, center); `derive` then adds the groups up by the same
definitions `metrics.tally` uses, so both always agree (the tests hold them to it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import bindparam, text
from sqlmodel import Session

from surge.calls.figures import Tally
from surge.calls.metrics import seconds_sql
from surge.kernel.clock import UtcDateTime

_BY_ROUTE = """
SELECT center, to_center, COUNT(*) AS offered,
  COUNT(*) FILTER (WHERE answered_at IS NOT NULL) AS answered,
  COUNT(*) FILTER (WHERE answered_at IS NULL AND abandoned_at IS NOT NULL) AS abandoned,
  COUNT(*) FILTER (WHERE answered_at IS NULL AND abandoned_at IS NOT NULL AND {abandon_wait} < :short_s)
    AS short_abandoned,
  COUNT(*) FILTER (WHERE answered_at IS NOT NULL AND {wait} <= :level_s) AS answered_within,
  COALESCE(SUM({wait}) FILTER (WHERE answered_at IS NOT NULL), 0) AS wait_s,
  COUNT(*) FILTER (WHERE answered_at IS NOT NULL AND ended_at IS NOT NULL) AS handled,
  COALESCE(SUM({handle}) FILTER (WHERE answered_at IS NOT NULL AND ended_at IS NOT NULL), 0) AS handle_s
FROM call_summaries WHERE offered_at >= :start AND offered_at < :end
GROUP BY center, to_center
"""

_STAYED = """
SELECT caller_county, center, COUNT(*) AS calls, COUNT(*) FILTER (WHERE answered_at IS NOT NULL) AS answered
FROM call_summaries WHERE offered_at >= :start AND offered_at < :end AND to_center IS NULL
  AND caller_county IS NOT NULL
GROUP BY caller_county, center
"""

_SUMMED = ("offered", "answered", "abandoned", "short_abandoned", "answered_within", "wait_s", "handled", "handle_s")


@dataclass(frozen=True)
class Route:
    """The calls offered to `center` (and overflowed to `to_center`, when not None) in the window."""

    center: str
    to_center: str | None
    sums: dict[str, float]


@dataclass(frozen=True)
class Stayed:
    """Calls answered where they were offered, or abandoned there: by caller's county and center."""

    county: str
    center: str
    calls: int
    answered: int


def _windowed(sql: str):
    return text(sql).bindparams(bindparam("start", type_=UtcDateTime()), bindparam("end", type_=UtcDateTime()))


def read(session: Session, *, start: datetime, end: datetime, short_abandon_s: int,
         service_level_s: int) -> tuple[list[Route], list[Stayed]]:
    dialect = session.get_bind().dialect.name
    seconds = {"wait": seconds_sql(dialect, "answered_at", "offered_at"),
               "abandon_wait": seconds_sql(dialect, "abandoned_at", "offered_at"),
               "handle": seconds_sql(dialect, "ended_at", "answered_at")}
    window = {"start": start, "end": end}
    routes = [Route(row["center"], row["to_center"], {name: row[name] for name in _SUMMED})
              for row in session.execute(_windowed(_BY_ROUTE.format(**seconds)),
                                         {**window, "short_s": short_abandon_s, "level_s": service_level_s}
                                         ).mappings()]
    stayed = [Stayed(row.caller_county, row.center, int(row.calls), int(row.answered))
              for row in session.execute(_windowed(_STAYED), window)]
    return routes, stayed


def _tally(values: dict[str, float]) -> Tally:
    return Tally(**{item.name: (float(values.get(item.name, 0)) if item.type in ("float", float)
                                else int(values.get(item.name, 0))) for item in fields(Tally)})


def derive(routes: list[Route], stayed: list[Stayed], *, regions: dict[str, list[str]],
           homes: list[tuple[str, str]]) -> tuple[Tally, dict[str, Tally]]:
    """The network's tally and each center's in `regions` (slug -> its counties), by metrics.tally's definitions:
    a center's own calls, overflow out and in, and its region's callers; the network's region is every county
    some center covers, and a caller reached home when the center that answered covers the caller's county."""
    network: dict[str, float] = defaultdict(float)
    centers: dict[str, dict[str, float]] = {slug: defaultdict(float) for slug in regions}
    for route in routes:
        for name in _SUMMED:
            network[name] += route.sums[name]
        if route.to_center is not None:
            network["overflow_out"] += route.sums["offered"]
            network["overflow_in"] += route.sums["offered"]
        own = centers.get(route.center)
        if own is not None:
            for name in _SUMMED:
                own[name] += route.sums[name]
            if route.to_center is not None:
                own["overflow_out"] += route.sums["offered"]
        if route.to_center in centers:
            centers[route.to_center]["overflow_in"] += route.sums["offered"]
    network_region = {county for county, _ in homes}
    home = set(homes)
    region_sets = {slug: set(counties) for slug, counties in regions.items()}
    for group in stayed:
        if group.county in network_region:
            network["region_calls"] += group.calls
        if (group.county, group.center) in home:
            network["region_answered"] += group.answered
        for slug, region in region_sets.items():
            if group.county in region:
                centers[slug]["region_calls"] += group.calls
                if group.center == slug:
                    centers[slug]["region_answered"] += group.answered
    return _tally(network), {slug: _tally(values) for slug, values in centers.items()}
