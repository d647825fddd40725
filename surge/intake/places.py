"""The clearinghouses an incident can refer to now, as the plain places matching reads: read in a few queries."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

import geo
from clearinghouse import needs
from clearinghouse.matching import Place
from clearinghouse.models import Clearinghouse
from clearinghouse.protocol_models import ClearinghouseProtocol
from surge.incidents.linkage_models import IncidentLinkage, LinkState
from surge.intake.models import Referral, ReferralState

# The capacity figure each kind of referral counts against, per day, when the clearinghouse gives one.
CAPACITY_KEYS = {"volunteer": "volunteers_per_day", "item": "offers_per_day"}
CLOSED = (ReferralState.DECLINED.value, ReferralState.RELEASED.value)


def _taken_today(session: Session, incident_slug: str, kind: str, now: datetime) -> dict[str, int]:
    column = Referral.volunteer_id if kind == "volunteer" else Referral.donation_item_id
    rows = session.exec(select(Referral.clearinghouse_slug, func.count()).where(
        Referral.incident_slug == incident_slug, column.is_not(None), Referral.sent_at >= now - timedelta(days=1),
        Referral.state.not_in(CLOSED)).group_by(Referral.clearinghouse_slug)).all()
    return dict(rows)


def _covers(protocol: ClearinghouseProtocol | None, kind: str) -> frozenset[str] | None:
    """None: everything the clearinghouse accepts (no protocol, or one naming neither skills nor categories)."""
    if protocol is None or not (protocol.skills or protocol.donation_categories):
        return None
    return frozenset(protocol.skills if kind == "volunteer" else protocol.donation_categories)


def linked_places(session: Session, *, incident_slug: str, kind: str, now: datetime) -> list[Place]:
    """Every active clearinghouse linked (not paused) to the incident, for volunteers or for items."""
    rows = session.exec(select(IncidentLinkage, Clearinghouse).join(
        Clearinghouse, Clearinghouse.slug == IncidentLinkage.clearinghouse_slug).where(
        IncidentLinkage.incident_slug == incident_slug, IncidentLinkage.state == LinkState.LINKED.value,
        Clearinghouse.active)).all()
    if not rows:
        return []
    protocol_ids = [link.protocol_id for link, _ in rows if link.protocol_id is not None]
    protocols = {p.id: p for p in session.exec(select(ClearinghouseProtocol).where(
        ClearinghouseProtocol.id.in_(protocol_ids))).all()} if protocol_ids else {}
    lists = needs.lists_for(session, incident_slug=incident_slug, clearinghouses=[c.slug for _, c in rows])
    taken = _taken_today(session, incident_slug, kind, now)
    key = CAPACITY_KEYS[kind]
    places = []
    for link, found in rows:
        lat, lon = found.lat, found.lon
        if lat is None and found.zip:
            lat, lon = geo.zip_centroid(found.zip) or (None, None)
        accepts = found.accepts.get("skills" if kind == "volunteer" else "donation_categories", [])
        limit = found.capacity.get(key)
        places.append(Place(
            slug=found.slug, lat=lat, lon=lon, radius_miles=found.radius_miles,
            counties=frozenset(found.counties) | frozenset(found.area_counties), accepts=frozenset(accepts),
            covers=_covers(protocols.get(link.protocol_id), kind),
            needs={item.code: item.status for item in lists[found.slug]},
            capacity_left=None if limit is None else max(limit - taken.get(found.slug, 0), 0),
            languages=frozenset(found.languages)))
    return places


def ack_hours(session: Session, *, incident_slug: str, clearinghouses: list[str]) -> dict[str, int]:
    """Each clearinghouse's acknowledgement deadline in this incident, from the protocol that linked it."""
    rows = session.exec(select(IncidentLinkage.clearinghouse_slug, ClearinghouseProtocol.ack_hours).join(
        ClearinghouseProtocol, ClearinghouseProtocol.id == IncidentLinkage.protocol_id).where(
        IncidentLinkage.incident_slug == incident_slug, IncidentLinkage.clearinghouse_slug.in_(clearinghouses))).all()
    return dict(rows)
