"""A brief's call figures: per affected center and for the network, by the definitions the metrics API uses,
then calls by hour and overflow between centers. The window's calls are read in three grouped statements
(`surge.calls.tally_groups`, and one by hour), however many centers the incident touches."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import bindparam, text
from sqlmodel import Session, select

from surge.calls import metrics, tally_groups
from surge.calls.figures import Tally, figures
from surge.calls.views import CallMetricsOut
from surge.centers.models import Center
from surge.kernel.clock import UtcDateTime

# Every figure the metrics API answers but its window, which the brief carries once for all.
_WINDOW_KEYS = ("from", "to")

# The hour in UTC: a timestamp on PostgreSQL (formatted here: to_char on every row doubles the statement's
# time, and date_trunc's own time-zone argument costs half as much again), text on SQLite.
_HOUR_SQL = {"postgresql": "date_trunc('hour', offered_at AT TIME ZONE 'UTC')",
             "sqlite": "strftime('%Y-%m-%dT%H:00:00Z', offered_at)"}

_BY_HOUR = """
SELECT {hour} AS hour, COUNT(*) AS offered,
       COUNT(*) FILTER (WHERE answered_at IS NOT NULL) AS answered,
       COUNT(*) FILTER (WHERE answered_at IS NULL AND abandoned_at IS NOT NULL) AS abandoned
FROM call_summaries WHERE offered_at >= :start AND offered_at < :end
GROUP BY 1 ORDER BY 1
"""


def _hour(value) -> str:
    if isinstance(value, datetime):  # a UTC wall-clock time, without its zone
        return value.replace(tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:00:00Z")
    return value


def _plain(tally: Tally, *, center: str | None, start: datetime, end: datetime, thresholds: dict) -> dict:
    """The figures as the metrics API answers them for that center (or the network) and window."""
    answer = CallMetricsOut(center=center, from_=start, to=end, **thresholds, **figures(tally))
    return {key: value for key, value in answer.model_dump(mode="json", by_alias=True).items()
            if key not in _WINDOW_KEYS}


def affected_centers(active: list[Center], counties: list[str]) -> list[Center]:
    """The active centers whose region touches the incident's counties."""
    wanted = set(counties)
    return [center for center in active if wanted & set(metrics.region_of(center))]


def by_hour(session: Session, *, start: datetime, end: datetime) -> list[dict]:
    statement = text(_BY_HOUR.format(hour=_HOUR_SQL[session.get_bind().dialect.name])).bindparams(
        bindparam("start", type_=UtcDateTime()), bindparam("end", type_=UtcDateTime()))
    return [{"hour": _hour(row.hour), "offered": int(row.offered), "answered": int(row.answered),
             "abandoned": int(row.abandoned)}
            for row in session.execute(statement, {"start": start, "end": end})]


def calls_and_overflow(session: Session, *, counties: list[str], start: datetime, end: datetime,
                       short_abandon_s: int, service_level_s: int) -> tuple[dict, dict]:
    """The calls section (network, affected centers, by hour) and the overflow section (from -> to)."""
    thresholds = {"short_abandon_s": short_abandon_s, "service_level_s": service_level_s}
    active = session.exec(select(Center).where(Center.active).order_by(Center.slug)).all()
    centers = affected_centers(active, counties)
    routes, stayed = tally_groups.read(session, start=start, end=end, **thresholds)
    network, tallies = tally_groups.derive(routes, stayed, homes=metrics.homes_of(active),
                                           regions={center.slug: metrics.region_of(center) for center in centers})
    window = {"start": start, "end": end, "thresholds": thresholds}
    calls = {"no_data": network.offered == 0, "network": _plain(network, center=None, **window),
             "centers": [_plain(tallies[center.slug], center=center.slug, **window) for center in centers],
             "by_hour": by_hour(session, start=start, end=end) if network.offered else []}
    flows = sorted(({"from": route.center, "to": route.to_center, "calls": int(route.sums["offered"])}
                    for route in routes if route.to_center is not None), key=lambda flow: (flow["from"], flow["to"]))
    return calls, {"no_data": not flows, "flows": flows, "total": sum(flow["calls"] for flow in flows)}
