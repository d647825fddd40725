"""Call figures of a center or the network, counted in one SQL statement.

The statement reads the calls (`call_summaries`: each call's events pivoted into one row as they arrive)
whose offer falls in [start, end), and adds them up with conditional sums; `figures` turns the tally into
rates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import bindparam, text
from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.calls.figures import Tally, figures
from surge.calls.views import CallMetricsOut
from surge.centers import registry
from surge.centers.models import Center
from surge.centers.permissions import READ_NETWORK
from surge.kernel.clock import UtcDateTime

MAX_WINDOW = timedelta(days=400)

_FIGURES = """
WITH timed AS (
  SELECT center, to_center, caller_county, answered_at IS NOT NULL AS answered,
         answered_at IS NULL AND abandoned_at IS NOT NULL AS abandoned,
         {wait} AS wait_s, {abandon_wait} AS abandon_wait_s,
         CASE WHEN ended_at IS NOT NULL THEN {handle} END AS handle_s
  FROM call_summaries
  WHERE offered_at >= :start AND offered_at < :end {scope}
)
SELECT
  COUNT(*) FILTER (WHERE {mine}) AS offered,
  COUNT(*) FILTER (WHERE {mine} AND answered) AS answered,
  COUNT(*) FILTER (WHERE {mine} AND abandoned) AS abandoned,
  COUNT(*) FILTER (WHERE {mine} AND abandoned AND abandon_wait_s < :short_s)
    AS short_abandoned,
  COUNT(*) FILTER (WHERE {mine} AND answered AND wait_s <= :level_s) AS answered_within,
  COALESCE(SUM(wait_s) FILTER (WHERE {mine} AND answered), 0) AS wait_s,
  COUNT(*) FILTER (WHERE {mine} AND answered AND handle_s IS NOT NULL) AS handled,
  COALESCE(SUM(handle_s) FILTER (WHERE {mine} AND answered), 0) AS handle_s,
  COUNT(*) FILTER (WHERE {mine} AND to_center IS NOT NULL) AS overflow_out,
  COUNT(*) FILTER (WHERE {overflow_in}) AS overflow_in,
  COUNT(*) FILTER (WHERE to_center IS NULL AND {from_region}) AS region_calls,
  COUNT(*) FILTER (WHERE to_center IS NULL AND answered AND {answered_home})
    AS region_answered
FROM timed
"""


def seconds_sql(dialect: str, later: str, earlier: str) -> str:
    """Seconds from `earlier` to `later` as a float, in the dialect's own words."""
    if dialect == "postgresql":
        return f"date_part('epoch', {later} - {earlier})"  # a double: EXTRACT's numeric is slower
    # julianday is a float of days: rounding to the millisecond keeps 5.000 s from reading as 4.99999 s.
    return f"ROUND((julianday({later}) - julianday({earlier})) * 86400.0, 3)"


def figures_sql(dialect: str, *, center: str | None) -> str:
    """The statement's text, with :named parameters (`region` and `homes` are lists)."""
    seconds = {"wait": seconds_sql(dialect, "answered_at", "offered_at"),
               "abandon_wait": seconds_sql(dialect, "abandoned_at", "offered_at"),
               "handle": seconds_sql(dialect, "ended_at", "answered_at")}
    if center is None:
        parts = {"scope": "", "mine": "TRUE", "overflow_in": "to_center IS NOT NULL",
                 "from_region": "caller_county IN :region",
                 "answered_home": "(caller_county || ':' || center) IN :homes"}
    else:
        # Only the calls that can count: this center's, those overflowed to it, and callers from its region.
        parts = {"scope": "AND (center = :center OR to_center = :center OR caller_county IN :region)",
                 "mine": "center = :center", "overflow_in": "to_center = :center",
                 "from_region": "caller_county IN :region",
                 "answered_home": "center = :center AND caller_county IN :region"}
    return _FIGURES.format(**seconds, **parts)


def _statement(dialect: str, *, center: str | None):
    sql = text(figures_sql(dialect, center=center)).bindparams(
        bindparam("start", type_=UtcDateTime()), bindparam("end", type_=UtcDateTime()),
        bindparam("region", expanding=True))
    if center is None:
        sql = sql.bindparams(bindparam("homes", expanding=True))
    return sql


def tally(session: Session, *, start: datetime, end: datetime, short_abandon_s: int, service_level_s: int,
          center: str | None = None, region: list[str], homes: list[tuple[str, str]] | None = None) -> Tally:
    """Count the calls offered in [start, end): one center's (with `region`, its counties) or the network's
    (with `homes`, every (county, center) pair where the center covers the county)."""
    dialect = session.get_bind().dialect.name
    values = {"start": start, "end": end, "short_s": short_abandon_s,
              "level_s": service_level_s, "region": region or [""]}
    if center is None:
        values["homes"] = [f"{county}:{slug}" for county, slug in homes or []] or [""]
    else:
        values["center"] = center
    row = session.execute(_statement(dialect, center=center), values).mappings().one()
    return Tally(**{name: (float(value) if name in ("wait_s", "handle_s") else int(value))
                    for name, value in row.items()})


def region_of(center: Center) -> list[str]:
    return sorted(set(center.counties) | set(center.area_counties))


def homes_of(active: Iterable[Center]) -> list[tuple[str, str]]:
    """(county, center) for every county one of the active centers covers: the callers' home centers."""
    return sorted({(county, center.slug) for center in active for county in region_of(center)})


def home_centers(session: Session) -> list[tuple[str, str]]:
    """`homes_of` the centers active now."""
    return homes_of(session.exec(select(Center).where(Center.active)).all())


def for_center(session: Session, *, slug: str, start: datetime, end: datetime, actor: Principal,
               short_abandon_s: int, service_level_s: int) -> CallMetricsOut:
    permissions.require(actor, READ_NETWORK)
    center = registry.find(session, slug)
    counted = tally(session, start=start, end=end, short_abandon_s=short_abandon_s,
                    service_level_s=service_level_s, center=slug, region=region_of(center))
    return CallMetricsOut(center=slug, from_=start, to=end, short_abandon_s=short_abandon_s,
                          service_level_s=service_level_s, **figures(counted))


def for_network(session: Session, *, start: datetime, end: datetime, actor: Principal, short_abandon_s: int,
                service_level_s: int) -> CallMetricsOut:
    permissions.require(actor, READ_NETWORK)
    homes = home_centers(session)
    counted = tally(session, start=start, end=end, short_abandon_s=short_abandon_s,
                    service_level_s=service_level_s, region=sorted({county for county, _ in homes}), homes=homes)
    return CallMetricsOut(center=None, from_=start, to=end, short_abandon_s=short_abandon_s,
                          service_level_s=service_level_s, **figures(counted))
