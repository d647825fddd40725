"""Needs and unmet needs in figures: by category and by county, met, unmet and unmet by reason.

`summarise` is the one aggregation, in SQL; what it returns is plain data, for the API and the briefs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.incidents.models import Incident
from surge.kernel.errors import NotFound
from surge.kernel.i18n import N_
from surge.needs.categories import CATEGORIES, UNMET_REASONS
from surge.needs.models import NeedReport


@dataclass
class Figures:
    total: int = 0
    met: int = 0
    unmet: int = 0
    unmet_by_reason: dict[str, int] = field(default_factory=dict)

    def add(self, *, met: bool, reason: str | None, count: int) -> None:
        self.total += count
        if met:
            self.met += count
        else:
            self.unmet += count
            key = reason or "other"
            self.unmet_by_reason[key] = self.unmet_by_reason.get(key, 0) + count


@dataclass
class NeedsSummary:
    incident: str
    start: datetime | None
    end: datetime | None
    overall: Figures
    by_category: dict[str, Figures]  # in the categories' own order, only those with reports
    by_county: dict[str, Figures]  # by FIPS code


def _ordered(found: dict[str, Figures], order: tuple[str, ...]) -> dict[str, Figures]:
    rank = {code: n for n, code in enumerate(order)}
    return dict(sorted(found.items(), key=lambda pair: (rank.get(pair[0], len(rank)), pair[0])))


def _grouped(session: Session, column, *, incident_id: str, start: datetime | None, end: datetime | None):
    """(key, met, reason, count) rows of the window's needs grouped by one column."""
    query = (select(column, NeedReport.met, NeedReport.unmet_reason, func.count(NeedReport.id))
             .where(NeedReport.incident_slug == incident_id)
             .group_by(column, NeedReport.met, NeedReport.unmet_reason))
    if start is not None:
        query = query.where(NeedReport.logged_at >= start)
    if end is not None:
        query = query.where(NeedReport.logged_at < end)
    return session.execute(query).all()


def summarise(session: Session, *, incident_id: str, start: datetime | None = None,
              end: datetime | None = None) -> NeedsSummary:
    """The incident's needs logged in [start, end) (either end open when None), counted in two grouped queries:
    by category and by county (grouping by both at once makes a row of almost every need at surge scale)."""
    window = {"incident_id": incident_id, "start": start, "end": end}
    overall = Figures()
    by_category: dict[str, Figures] = {}
    by_county: dict[str, Figures] = {}
    for category, met, reason, count in _grouped(session, NeedReport.category, **window):
        for figures in (overall, by_category.setdefault(category, Figures())):
            figures.add(met=bool(met), reason=reason, count=int(count))
    for county, met, reason, count in _grouped(session, NeedReport.county_fips, **window):
        by_county.setdefault(county, Figures()).add(met=bool(met), reason=reason, count=int(count))
    for figures in (overall, *by_category.values(), *by_county.values()):
        figures.unmet_by_reason = {reason: figures.unmet_by_reason[reason] for reason in
                                   (*UNMET_REASONS, *sorted(set(figures.unmet_by_reason) - set(UNMET_REASONS)))
                                   if reason in figures.unmet_by_reason}
    return NeedsSummary(incident=incident_id, start=start, end=end, overall=overall,
                        by_category=_ordered(by_category, CATEGORIES), by_county=dict(sorted(by_county.items())))


def read_summary(session: Session, *, incident_slug: str, actor: Principal, start: datetime | None = None,
                 end: datetime | None = None) -> NeedsSummary:
    """The figures for staff and partners: counts only, never a record."""
    permissions.require(actor, permissions.READ_NEED_FIGURES)
    if session.get(Incident, incident_slug) is None:
        raise NotFound(N_("There is no incident %(slug)s."), params={"slug": incident_slug})
    return summarise(session, incident_id=incident_slug, start=start, end=end)
