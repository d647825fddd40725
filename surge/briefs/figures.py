"""A brief's figures for an incident and a period: one plain JSON-safe dict, section by section.

Each section says `no_data` rather than failing when there is nothing to count. Key figures carry their
change since the previous brief, read from that brief's stored figures (what it said, not what the tables
say now).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session

from surge.briefs import figures_calls, figures_clearinghouses, figures_intake, figures_needs
from surge.incidents.models import Incident
from surge.kernel import side_reads

FIGURES_FORMAT = 1
KEY_FIGURES = {
    "calls_offered": ("calls", "network", "offered"),
    "calls_answered": ("calls", "network", "answered"),
    "abandon_rate": ("calls", "network", "abandon_rate"),
    "asa_s": ("calls", "network", "asa_s"),
    "overflowed_calls": ("overflow", "total"),
    "volunteers_registered": ("volunteers", "registered"),
    "volunteers_referred": ("volunteers", "referred"),
    "donations_offered": ("donations", "offered"),
    "cash_pledged": ("donations", "cash_redirected", "amount"),
    "needs_logged": ("needs", "overall", "total"),
    "needs_unmet": ("needs", "overall", "unmet"),
    "referrals_awaiting_acknowledgement": ("clearinghouses", "awaiting_acknowledgement"),
}


def needs_section(session: Session, *, incident_slug: str, start: datetime, end: datetime) -> dict:
    """Needs and unmet needs by category and county, per 10,000 residents, and the top unmet needs."""
    return figures_needs.needs(session, incident_slug=incident_slug, start=start, end=end)


def _dig(figures: dict | None, path: tuple[str, ...]):
    value = figures
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def key_figures(current: dict, previous: dict | None) -> dict:
    """Each key figure with the previous brief's value and the change (null where either is missing)."""
    keyed = {}
    for name, path in KEY_FIGURES.items():
        now, before = _dig(current, path), _dig(previous, path)
        change = None
        if isinstance(now, (int, float)) and isinstance(before, (int, float)):
            change = round(now - before, 4)
        keyed[name] = {"value": now, "previous": before, "change": change}
    return keyed


def _plain_plans(session: Session, *, one_core: bool = False) -> None:
    """PostgreSQL compiles a statement it expects to be costly (JIT), which took longer than running the brief's
    short aggregates themselves; for this transaction only, it runs them as they are. `one_core`: no parallel
    workers either, for a reader that runs beside another (a parallel scan would take the other's core)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
        if one_core:
            session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


def compute(session: Session, *, incident: Incident, start: datetime, end: datetime, now: datetime,
            previous: dict | None, short_abandon_s: int, service_level_s: int) -> dict:
    slug = incident.slug
    _plain_plans(session)

    def beside(reader: Session) -> dict:  # the volunteers, the costliest section
        _plain_plans(reader, one_core=True)
        return {"volunteers": figures_intake.volunteers(reader, incident_slug=slug, start=start, end=end)}

    def here(reader: Session) -> dict:
        calls, overflow = figures_calls.calls_and_overflow(reader, counties=incident.counties, start=start, end=end,
                                                           short_abandon_s=short_abandon_s,
                                                           service_level_s=service_level_s)
        return {"calls": calls, "overflow": overflow,
                "donations": figures_intake.donations(reader, incident_slug=slug, start=start, end=end),
                "clearinghouses": figures_clearinghouses.clearinghouses(reader, incident_slug=slug, now=now),
                "needs": needs_section(reader, incident_slug=slug, start=start, end=end)}

    one_side, other_side = side_reads.side_by_side(session, beside, here)
    sections = {**one_side, **other_side}
    return {"format": FIGURES_FORMAT, "computed_at": now.isoformat(),
            "window": {"start": start.isoformat(), "end": end.isoformat()},
            "key_figures": key_figures(sections, previous), **sections}
