"""A brief's needs figures: needs and unmet needs by category and by county, per 10,000 residents, and the
unmet needs that stand out, with their reasons. Counted by `surge.needs.summaries.summarise`, the same
aggregation the needs summary API answers with, so the two always agree for one window."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

import geo
from surge.needs import summaries

TOP_UNMET = 5  # categories listed under "top unmet needs"
PER_RESIDENTS = 10_000


def _plain(found: summaries.Figures) -> dict:
    return {"total": found.total, "met": found.met, "unmet": found.unmet,
            "unmet_by_reason": dict(found.unmet_by_reason)}


def _county(fips: str, found: summaries.Figures) -> dict:
    try:
        county = geo.county(fips)
        name, state, population = county.name, county.state, county.population
    except geo.GeoError:
        name = state = population = None
    per = round(found.total * PER_RESIDENTS / population, 2) if population else None
    return {"county_fips": fips, "county": name, "state": state, "population": population,
            "per_10k": per, **_plain(found)}


def needs(session: Session, *, incident_slug: str, start: datetime, end: datetime) -> dict:
    found = summaries.summarise(session, incident_id=incident_slug, start=start, end=end)
    by_category = [{"category": code, **_plain(figures)} for code, figures in found.by_category.items()]
    unmet = sorted((item for item in by_category if item["unmet"]), key=lambda item: (-item["unmet"],
                                                                                       item["category"]))
    return {
        "no_data": found.overall.total == 0,
        "overall": _plain(found.overall),
        "by_category": by_category,
        "by_county": [_county(fips, figures) for fips, figures in found.by_county.items()],
        "top_unmet": [{"category": item["category"], "unmet": item["unmet"], "reasons": item["unmet_by_reason"]}
                      for item in unmet[:TOP_UNMET]],
    }
