"""A brief's call figures: per affected center and for the network, by the one definition the metrics API uses,
then calls by hour and overflow between centers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, text
from sqlmodel import Session, select

from surge.access.principal import system
from surge.calls import metrics
from surge.centers.models import Center
from surge.kernel.clock import UtcDateTime

READER = system("briefs")
# Every figure the metrics API answers but its window, which the brief carries once for all.
_WINDOW_KEYS = ("from", "to")


def _hour_sql(dialect: str) -> str:
    if dialect == "postgresql":
        return "to_char(date_trunc('hour', offered_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD\"T\"HH24:00:00\"Z\"')"
    return "strftime('%Y-%m-%dT%H:00:00Z', offered_at)"


_BY_HOUR = """
SELECT {hour} AS hour, COUNT(*) AS offered,
       COUNT(*) FILTER (WHERE answered_at IS NOT NULL) AS answered,
       COUNT(*) FILTER (WHERE answered_at IS NULL AND abandoned_at IS NOT NULL) AS abandoned
FROM call_summaries WHERE offered_at >= :start AND offered_at < :end
GROUP BY 1 ORDER BY 1
"""

_OVERFLOW = """
SELECT center, to_center, COUNT(*) AS calls FROM call_summaries
WHERE offered_at >= :start AND offered_at < :end AND to_center IS NOT NULL
GROUP BY center, to_center ORDER BY center, to_center
"""


def _window_params(sql: str):
    return text(sql).bindparams(bindparam("start", type_=UtcDateTime()), bindparam("end", type_=UtcDateTime()))


def _plain(answer) -> dict:
    figures = answer.model_dump(mode="json", by_alias=True)
    return {key: value for key, value in figures.items() if key not in _WINDOW_KEYS}


def affected_centers(session: Session, counties: list[str]) -> list[Center]:
    """Active centers whose region touches the incident's counties."""
    wanted = set(counties)
    return [center for center in session.exec(select(Center).where(Center.active).order_by(Center.slug)).all()
            if wanted & set(metrics.region_of(center))]


def calls(session: Session, *, counties: list[str], start: datetime, end: datetime, short_abandon_s: int,
          service_level_s: int) -> dict:
    thresholds = {"short_abandon_s": short_abandon_s, "service_level_s": service_level_s}
    network = _plain(metrics.for_network(session, start=start, end=end, actor=READER, **thresholds))
    centers = [_plain(metrics.for_center(session, slug=center.slug, start=start, end=end, actor=READER, **thresholds))
               for center in affected_centers(session, counties)]
    window = {"start": start, "end": end}
    dialect = session.get_bind().dialect.name
    by_hour = [dict(row) for row in session.execute(
        _window_params(_BY_HOUR.format(hour=_hour_sql(dialect))), window).mappings()]
    return {"no_data": network["offered"] == 0, "network": network, "centers": centers,
            "by_hour": [{key: (int(value) if key != "hour" else value) for key, value in row.items()}
                        for row in by_hour]}


def overflow(session: Session, *, start: datetime, end: datetime) -> dict:
    rows = session.execute(_window_params(_OVERFLOW), {"start": start, "end": end}).mappings().all()
    flows = [{"from": row["center"], "to": row["to_center"], "calls": int(row["calls"])} for row in rows]
    return {"no_data": not flows, "flows": flows, "total": sum(flow["calls"] for flow in flows)}
