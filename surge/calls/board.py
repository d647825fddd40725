"""Each center's calls today (since midnight in its own time zone) and in the last hour, for the wallboard."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.calls.figures import figures
from surge.calls.metrics import region_of, tally
from surge.centers.hours import zone
from surge.centers.models import Center
from surge.centers.permissions import READ_NETWORK

HOUR = timedelta(hours=1)


def local_midnight(now: datetime, timezone: str) -> datetime:
    local = now.astimezone(zone(timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def recent_calls(session: Session, *, now: datetime, actor: Principal, short_abandon_s: int,
                 service_level_s: int) -> dict[str, dict[str, dict]]:
    """{slug: {"today": figures, "last_hour": figures}} for every active center."""
    permissions.require(actor, READ_NETWORK)
    found = {}
    for center in session.exec(select(Center).where(Center.active).order_by(Center.slug)).all():
        windows = {"today": (local_midnight(now, center.timezone), now), "last_hour": (now - HOUR, now)}
        found[center.slug] = {
            name: figures(tally(session, start=start, end=end, short_abandon_s=short_abandon_s,
                                service_level_s=service_level_s, center=center.slug, region=region_of(center)))
            for name, (start, end) in windows.items()}
    return found
