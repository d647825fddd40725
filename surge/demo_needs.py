"""A few hundred made-up need reports on the demo's exercise: spread over its counties and the last four
days, mostly met, the unmet ones with their reasons, so the needs figures have something to show.
Seeded, so each install gets the same figures; loaded once."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import Session, select

from surge.access.principal import Principal
from surge.demo_network import CENTERS, EXERCISE
from surge.kernel import audit
from surge.needs.categories import CATEGORIES, UNMET_REASONS
from surge.needs.models import NeedReport, Source

REPORTS = 360
DAYS = 4
# The categories callers bring most after a hurricane come first, and so are drawn most often.
WEIGHTS = (14, 12, 9, 10, 8, 10, 5, 4, 5, 9, 8, 1, 3)


def _center_of(county: str) -> str:
    return next(center["slug"] for center in CENTERS if county in center["counties"])


def load_need_reports(session: Session, *, actor: Principal, now: datetime) -> int:
    """Log the demo's needs once, as calls taken by the exercise's home centers; how many the exercise has."""
    slug = EXERCISE["slug"]
    if session.exec(select(NeedReport.id).where(NeedReport.incident_slug == slug)).first() is None:
        rng = random.Random(2110)
        counties = EXERCISE["area"]["counties"]
        rows = []
        for _ in range(REPORTS):
            county = rng.choice(counties)
            met = rng.random() < 0.62
            rows.append(NeedReport(
                incident_slug=slug, center_slug=_center_of(county), county_fips=county,
                category=rng.choices(CATEGORIES, weights=WEIGHTS)[0], met=met,
                unmet_reason=None if met else rng.choices(UNMET_REASONS, weights=(5, 2, 4, 2, 1))[0],
                logged_at=now - timedelta(seconds=rng.randrange(DAYS * 86400)), source=Source.CALL.value))
        session.add_all(rows)
        session.flush()
        audit.record(session, actor=actor.actor, action="need_report.demo", target_type="incident", target_id=slug,
                     diff={"reports": REPORTS})
        session.expunge_all()
    return len(session.exec(select(NeedReport.id).where(NeedReport.incident_slug == slug)).all())
