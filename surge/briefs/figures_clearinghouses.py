"""A brief's clearinghouse status: each clearinghouse in the incident, open or full or paused, its needs list,
and the referrals it has not acknowledged yet."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from clearinghouse.models import Clearinghouse
from clearinghouse.needs_models import ClearinghouseNeed
from surge.incidents.linkage_models import IncidentLinkage, LinkState
from surge.intake import places
from surge.intake.models import Referral, ReferralState

IN_INCIDENT = (LinkState.LINKED.value, LinkState.PAUSED.value)


def _full(session: Session, incident_slug: str, now: datetime) -> set[str]:
    """Clearinghouses whose daily capacity for volunteers or for goods is used up."""
    return {place.slug for kind in places.CAPACITY_KEYS
            for place in places.linked_places(session, incident_slug=incident_slug, kind=kind, now=now)
            if place.capacity_left == 0}


def clearinghouses(session: Session, *, incident_slug: str, now: datetime) -> dict:
    rows = session.exec(select(IncidentLinkage, Clearinghouse).join(
        Clearinghouse, Clearinghouse.slug == IncidentLinkage.clearinghouse_slug).where(
        IncidentLinkage.incident_slug == incident_slug, IncidentLinkage.state.in_(IN_INCIDENT))
        .order_by(Clearinghouse.slug)).all()
    full = _full(session, incident_slug, now) if rows else set()
    needs = Counter((slug, status) for slug, status in session.exec(
        select(ClearinghouseNeed.clearinghouse_slug, ClearinghouseNeed.status).where(
            ClearinghouseNeed.incident_slug == incident_slug)).all())
    waiting = dict(session.exec(select(Referral.clearinghouse_slug, func.count()).where(
        Referral.incident_slug == incident_slug, Referral.state == ReferralState.SENT.value)
        .group_by(Referral.clearinghouse_slug)).all())
    listed = []
    for link, found in rows:
        status = "paused" if link.state == LinkState.PAUSED.value else ("full" if found.slug in full else "open")
        entries = {key: count for (slug, key), count in needs.items() if slug == found.slug}
        listed.append({"clearinghouse": found.slug, "name": found.name, "kind": found.kind, "status": status,
                       "needs_list": {"entries": sum(entries.values()), "by_status": dict(sorted(entries.items()))},
                       "awaiting_acknowledgement": int(waiting.get(found.slug, 0))})
    return {"no_data": not listed, "clearinghouses": listed,
            "open": sum(1 for item in listed if item["status"] == "open"),
            "full": sum(1 for item in listed if item["status"] == "full"),
            "awaiting_acknowledgement": sum(item["awaiting_acknowledgement"] for item in listed)}
