"""The clearinghouses an incident can refer to now, as the plain places matching reads.

What changes seldom (linkages, protocols, needs lists, each clearinghouse's area, limits, cash link and delivery
addresses) is read in a few queries and kept in memory per process and incident, beside the place stamp it was
read under: while the stamp is the same, nothing matching reads has changed (see `place_stamps`). What changes
with every referral (how many were taken today, against each capacity) is counted afresh each time, and only
for the clearinghouses a seeker fits otherwise.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, and_, bindparam, func, union_all
from sqlmodel import Session, select

import geo
from clearinghouse import needs
from clearinghouse.matching import Place
from clearinghouse.models import Clearinghouse
from clearinghouse.nearby import PlaceIndex
from clearinghouse.protocol_models import ClearinghouseProtocol
from surge.incidents.linkage_models import IncidentLinkage, LinkState
from surge.intake import place_stamps
from surge.intake.models import Referral, ReferralState
from surge.kernel.i18n import written_for

# The capacity figure each kind of referral counts against, per day, when the clearinghouse gives one.
CAPACITY_KEYS = {"volunteer": "volunteers_per_day", "item": "offers_per_day"}
CLOSED = (ReferralState.DECLINED.value, ReferralState.RELEASED.value)
KINDS = tuple(CAPACITY_KEYS)
# Incidents kept per process: a network runs a handful at once; the least recently used goes first.
KEPT_INCIDENTS = 64
# From how many clearinghouses at once their day's referrals are counted in one grouped scan.
GROUPED_FROM = 8


@dataclass(frozen=True)
class Reach:
    """Where a clearinghouse's notices go (what `outbox.enqueue.clearinghouse_rows` reads)."""

    slug: str
    delivery_emails: tuple[str, ...]
    webhook_url: str | None
    language: str = "en"  # what its notices are written in


@dataclass(frozen=True)
class Snapshot:
    """An incident's linked, active clearinghouses as matching sees them, before today's referrals count."""

    places: dict[str, tuple[Place, ...]]  # kind -> places, each with capacity_left None
    limits: dict[str, dict[str, int]]  # kind -> clearinghouse -> referrals a day
    ack_hours: dict[str, int]  # clearinghouse -> hours to acknowledge, from the protocol that linked it
    reach: dict[str, Reach]
    cash_links: tuple[str, ...]
    nearby: dict[str, PlaceIndex]  # kind -> the same places, indexed by area
    # (kind, clearinghouse) -> when a clearinghouse found full stops being full unless something changes; any
    # change that could free a place (a decline, a release, a new limit) moves the stamp and retires the snapshot.
    full_until: dict[tuple[str, str], datetime] = dataclasses.field(default_factory=dict)


_kept: OrderedDict[tuple[str, str], tuple[str, Snapshot]] = OrderedDict()
_lock = threading.Lock()


def _covers(protocol: ClearinghouseProtocol | None, kind: str) -> frozenset[str] | None:
    """None: everything the clearinghouse accepts (no protocol, or one naming neither skills nor categories)."""
    if protocol is None or not (protocol.skills or protocol.donation_categories):
        return None
    return frozenset(protocol.skills if kind == "volunteer" else protocol.donation_categories)


def _read(session: Session, incident_slug: str) -> Snapshot:
    rows = session.exec(select(IncidentLinkage, Clearinghouse).join(
        Clearinghouse, Clearinghouse.slug == IncidentLinkage.clearinghouse_slug).where(
        IncidentLinkage.incident_slug == incident_slug, IncidentLinkage.state == LinkState.LINKED.value,
        Clearinghouse.active).order_by(Clearinghouse.slug)).all()
    protocol_ids = [link.protocol_id for link, _ in rows if link.protocol_id is not None]
    protocols = {p.id: p for p in session.exec(select(ClearinghouseProtocol).where(
        ClearinghouseProtocol.id.in_(protocol_ids))).all()} if protocol_ids else {}
    lists = needs.lists_for(session, incident_slug=incident_slug, clearinghouses=[c.slug for _, c in rows]) \
        if rows else {}
    places: dict[str, list[Place]] = {kind: [] for kind in KINDS}
    limits: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}
    for link, found in rows:
        lat, lon = found.lat, found.lon
        if lat is None and found.zip:
            lat, lon = geo.zip_centroid(found.zip) or (None, None)
        wanted = {item.code: item.status for item in lists[found.slug]}
        for kind in KINDS:
            accepts = found.accepts.get("skills" if kind == "volunteer" else "donation_categories", [])
            places[kind].append(Place(
                slug=found.slug, lat=lat, lon=lon, radius_miles=found.radius_miles,
                counties=frozenset(found.counties) | frozenset(found.area_counties), accepts=frozenset(accepts),
                covers=_covers(protocols.get(link.protocol_id), kind), needs=wanted, capacity_left=None,
                languages=frozenset(found.languages)))
            if (limit := found.capacity.get(CAPACITY_KEYS[kind])) is not None:
                limits[kind][found.slug] = limit
    return Snapshot(
        places={kind: tuple(found) for kind, found in places.items()}, limits=limits,
        nearby={kind: PlaceIndex(found) for kind, found in places.items()},
        ack_hours={link.clearinghouse_slug: protocols[link.protocol_id].ack_hours for link, _ in rows
                   if link.protocol_id in protocols},
        reach={found.slug: Reach(found.slug, tuple(found.delivery_emails), found.webhook_url,
                                 written_for(found.languages)) for _, found in rows},
        cash_links=tuple(sorted({found.accepts["cash_url"] for _, found in rows if found.accepts.get("cash_url")})))


_UNREAD = object()
# The database an engine serves, named once per engine: rendering its URL cost more than the rest of a kept lookup.
_databases: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _database_of(session: Session) -> str:
    engine = session.get_bind().engine  # the session may be bound to one of its connections
    name = _databases.get(engine)
    if name is None:
        name = _databases[engine] = engine.url.render_as_string(hide_password=True)
    return name


def snapshot(session: Session, incident_slug: str, *, stamp: str | None | object = _UNREAD) -> Snapshot:
    """The incident's snapshot: the one kept, while the place stamp has not moved; else read again and kept.
    `stamp`: the place stamp, when the caller read it already in this transaction."""
    if stamp is _UNREAD:
        stamp = place_stamps.current(session)
    key = (_database_of(session), incident_slug)
    with _lock:
        kept = _kept.get(key)
        if kept is not None and stamp is not None and kept[0] == stamp:
            _kept.move_to_end(key)
            return kept[1]
    # Read after the stamp: the snapshot is at least as new as the stamp it is kept under (never older).
    fresh = _read(session, incident_slug)
    if stamp is not None:
        with _lock:
            _kept[key] = (stamp, fresh)
            _kept.move_to_end(key)
            while len(_kept) > KEPT_INCIDENTS:
                _kept.popitem(last=False)
    return fresh


def _still_held(kind: str):
    """A referral of the kind that holds a place: not declined or released."""
    referrals = Referral.__table__.c
    column = referrals.volunteer_id if kind == "volunteer" else referrals.donation_item_id
    # Not `not_in(CLOSED)`: an IN list is expanded into the SQL text at every execution, which cost more than the rest.
    return and_(column.is_not(None), *(referrals.state != state for state in CLOSED))


@functools.lru_cache(maxsize=32)
def _taken_statement(kind: str, clearinghouses: int):
    """The count for `clearinghouses` limited clearinghouses, built once: its values are bound parameters."""
    referrals = Referral.__table__.c
    counts = []
    for n in range(clearinghouses):
        slug = bindparam(f"slug_{n}", type_=String)
        held = select(referrals.sent_at).where(
            referrals.clearinghouse_slug == slug, referrals.incident_slug == bindparam("incident"),
            referrals.sent_at >= bindparam("since"), _still_held(kind)
        ).order_by(referrals.sent_at).limit(bindparam(f"limit_{n}", type_=Integer)).subquery()
        counts.append(select(slug.label("slug"), func.count().label("taken"), func.min(held.c.sent_at).label("oldest"))
                      .select_from(held))
    return union_all(*counts)


@functools.lru_cache(maxsize=len(KINDS))
def _taken_by_each_statement(kind: str):
    """The count for many clearinghouses at once: one scan of their day, grouped."""
    referrals = Referral.__table__.c
    return select(referrals.clearinghouse_slug, func.count(), func.min(referrals.sent_at)).where(
        referrals.clearinghouse_slug.in_(bindparam("slugs", expanding=True)),
        referrals.incident_slug == bindparam("incident"), referrals.sent_at >= bindparam("since"),
        _still_held(kind)).group_by(referrals.clearinghouse_slug)


def _taken_today(session: Session, incident_slug: str, kind: str, now: datetime,
                 limits: dict[str, int]) -> dict[str, tuple[int, datetime | None]]:
    """The referrals of the kind each limited clearinghouse took in the last day and still holds, and the oldest of
    them. For the few a seeker fits, each is counted no further than its limit, so a count costs at most the
    limit however many the day brought; for many at once (a re-match's batch) one grouped scan of their day costs
    less than a statement of a count each, and is made once a batch."""
    since = now - timedelta(days=1)
    if len(limits) > GROUPED_FROM:
        return {slug: (taken, oldest) for slug, taken, oldest in session.execute(_taken_by_each_statement(kind), {
            "slugs": sorted(limits), "incident": incident_slug, "since": since}).all()}
    values: dict = {"incident": incident_slug, "since": since}
    for n, (slug, limit) in enumerate(sorted(limits.items())):
        values[f"slug_{n}"], values[f"limit_{n}"] = slug, limit
    return {slug: (taken, oldest) for slug, taken, oldest in
            session.execute(_taken_statement(kind, len(limits)), values).all()}


def left_today(session: Session, *, found: Snapshot, incident_slug: str, kind: str, now: datetime,
               among: frozenset[str] | None = None) -> dict[str, int]:
    """Places left today at each limited clearinghouse (of `among`, when given). One found full stays full until
    its oldest referral of the day leaves the day, unless the stamp moves: until then it is not counted again."""
    limits = {slug: limit for slug, limit in found.limits[kind].items() if among is None or slug in among}
    with _lock:
        full = {slug for (of_kind, slug), until in found.full_until.items()
                if of_kind == kind and slug in limits and now < until}
    left = {slug: 0 for slug in full}
    counted = _taken_today(session, incident_slug, kind, now, {s: n for s, n in limits.items() if s not in full}) \
        if len(full) < len(limits) else {}
    for slug in limits.keys() - full:
        taken, oldest = counted.get(slug, (0, None))  # none held today: not every count answers a row for it
        left[slug] = max(limits[slug] - taken, 0)
        if left[slug] == 0 and oldest is not None:
            with _lock:
                found.full_until[(kind, slug)] = oldest + timedelta(days=1)
    return left


def linked_places(session: Session, *, incident_slug: str, kind: str, now: datetime,
                  found: Snapshot | None = None, among: frozenset[str] | None = None) -> list[Place]:
    """Every active clearinghouse linked (not paused) to the incident, for volunteers or for items, each with the
    capacity it has left today; only those of `among`, when given, so that only they are counted."""
    found = found or snapshot(session, incident_slug)
    chosen = [place for place in found.places[kind] if among is None or place.slug in among]
    if not found.limits[kind] or not chosen:
        return chosen
    left = left_today(session, found=found, incident_slug=incident_slug, kind=kind, now=now, among=among)
    return [dataclasses.replace(place, capacity_left=left[place.slug]) if place.slug in left else place
            for place in chosen]
