"""Matching people again: one person after a declined or expired referral, and an incident's reserve
volunteers and on-file items after its needs or linkages changed.

The second is a pass over what may be a hundred thousand people, so it goes set-wise, a batch at a time: the
batch is read in one statement and its earlier referrals in another; the clearinghouses, and how many places
each has left today, are read once a batch and counted down in memory as it is referred; the referrals, their
notices and the new statuses are written in a statement each. A person is referred exactly as one referred
alone would be, in the order of their records.

Only while the incident is active: after stand-down nobody new is referred."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Text, bindparam, cast, update
from sqlmodel import Session, select

from clearinghouse import matching
from clearinghouse.matching import Seeker
from surge.incidents.models import Incident, Status
from surge.incidents.rematch_marks import RematchRequest
from surge.intake import donations, places, referring, volunteers
from surge.intake.models import Donation, DonationItem, IntakeStatus, Referral, ReferralState, Volunteer
from surge.intake.referring import Wanted

# People a batch reads and refers in one transaction: large enough that its fixed cost (a few reads) is spread
# thin, small enough that an id list stays well inside SQLite's bound on parameters.
BATCH = 5000

_volunteers = Volunteer.__table__.c
_items = DonationItem.__table__.c
_donations = Donation.__table__.c
_referrals = Referral.__table__.c
# What matching and a clearinghouse's summary read of a volunteer: never their name or contact details. The JSON
# columns are read as their text, to be decoded once per distinct value (see `_decoding_once`).
_JSON_NAMES = ("skills", "certifications", "languages", "availability")
_MATCHED_ON = [cast(_volunteers[name], Text).label(name) if name in _JSON_NAMES else _volunteers[name]
               for name in ("id", *_JSON_NAMES, "lat", "lon", "county", "zip", "travel_miles", "activity", "adult",
                            "organisation")]


def _active(session: Session, incident_slug: str) -> bool:
    incident = session.get(Incident, incident_slug)
    return incident is not None and incident.status == Status.ACTIVE


def onwards(session: Session, referral: Referral, *, now: datetime) -> list[Referral]:
    """Refer the person behind a closed referral to the next clearinghouse not tried yet (reserve or on file
    when there is none); the referrals made."""
    if not _active(session, referral.incident_slug):
        return []
    if referral.volunteer_id is not None:
        found = volunteers.match(session, session.get(Volunteer, referral.volunteer_id), now=now)
    else:
        item = session.get(DonationItem, referral.donation_item_id)
        found = donations.match_item(session, item, session.get(Donation, item.donation_id), now=now)
    return [r for r in found if r.state == ReferralState.SENT.value and r.sent_at == now]


def _earlier(session: Session, column, *, incident_slug: str, first: int, last: int) -> dict[int, list[tuple]]:
    """Each person's (or item's) referrals so far, as (clearinghouse, state), for the ids first..last."""
    held: dict[int, list[tuple]] = defaultdict(list)
    for owner, slug, state in session.execute(select(column, _referrals.clearinghouse_slug, _referrals.state).where(
            _referrals.incident_slug == incident_slug, column.between(first, last))):
        held[owner].append((slug, state))
    return held


def _refer(session: Session, rows: list, *, incident_slug: str, kind: str, seeker_of: Callable[[Any], Seeker],
           summary: Callable[[Any], dict], now: datetime,
           record_of: Callable[[Any], Any] = lambda row: row) -> list[int]:
    """Refer each of the batch's rows (an id and a place: county, lat, lon; in order of id) in turn; the ids now
    matched. Someone already holding an open referral is only marked matched; a clearinghouse tried before is
    not tried again. `record_of` makes what `seeker_of` and `summary` read of a row, for those with a place open
    near them."""
    column = _referrals.volunteer_id if kind == "volunteer" else _referrals.donation_item_id
    held = _earlier(session, column, incident_slug=incident_slug, first=rows[0].id, last=rows[-1].id)
    found = places.snapshot(session, incident_slug)
    nearby, room = found.nearby[kind], places.left_today(session, found=found, incident_slug=incident_slug,
                                                         kind=kind, now=now)
    count = matching.refer_count(kind)
    matched: list[int] = []

    def chosen() -> Iterator[Wanted]:
        for row in rows:
            earlier = held.get(row.id, ())
            if any(state in volunteers.OPEN for _, state in earlier):
                matched.append(row.id)
                continue
            # Places already full are dropped before anything is matched: once the day's places run out nearby, a
            # person costs no more than this.
            open_places = [place for place in nearby.around(row.county, row.lat, row.lon)
                           if room.get(place.slug, 1) > 0]
            if not open_places:
                continue
            tried = frozenset(slug for slug, _ in earlier)
            record = record_of(row)
            best = matching.take(matching.candidates(seeker_of(record), open_places), count, room, exclude=tried)
            if best:
                matched.append(row.id)
                yield Wanted(best, summary(record), **{column.key: row.id})

    # The matching runs as its referrals stream to the database (see `referring.send_all`): both work at once.
    referring.send_all(session, chosen(), incident_slug=incident_slug, kind=kind, now=now, found=found)
    return matched


def _id_list(ids: list[int]):
    """Ids written into the statement itself: thousands of bound parameters cost more to send than to use."""
    return bindparam("ids", ids, literal_execute=True)


def _decoding_once(names: tuple[str, ...]) -> Callable[[Any], SimpleNamespace]:
    """A reader of rows into plain records with their JSON columns (read as text) decoded, each distinct text once:
    a batch's people share a few thousand skill lists and a handful of language lists, and decoding every row's
    own copy was the largest cost of a pass. Equal values are one object, only ever read."""
    decoded: dict[str, Any] = {}

    def record_of(row) -> SimpleNamespace:
        record = row._asdict()
        for name in names:
            text = record[name]
            if text is not None:
                if text not in decoded:
                    decoded[text] = json.loads(text)
                record[name] = decoded[text]
        return SimpleNamespace(**record)
    return record_of


def _volunteer_batch(session: Session, mark: RematchRequest, *, now: datetime, limit: int) -> int:
    rows = session.execute(select(*_MATCHED_ON).where(
        _volunteers.incident_slug == mark.incident_slug, _volunteers.status == IntakeStatus.RESERVE.value,
        _volunteers.id > mark.volunteer_cursor).order_by(_volunteers.id).limit(limit)).all()
    if not rows:
        return 0
    matched = _refer(session, rows, incident_slug=mark.incident_slug, kind="volunteer",
                     seeker_of=volunteers.seeker_of, summary=volunteers.summary, now=now,
                     record_of=_decoding_once(_JSON_NAMES))
    if matched:
        session.execute(update(Volunteer.__table__).where(_volunteers.id.in_(_id_list(matched)))
                        .values(status=IntakeStatus.MATCHED.value))
    mark.volunteer_cursor = rows[-1].id
    return len(rows)


def _item_batch(session: Session, mark: RematchRequest, *, now: datetime, limit: int) -> int:
    # An item's row carries the offer's place and donor type beside its own fields, so one row stands for both
    # where the single-item path reads an item and its offer.
    rows = session.execute(select(DonationItem.__table__, _donations.lat, _donations.lon, _donations.county,
                                  _donations.zip, _donations.can_deliver, _donations.donor_type).join(
        Donation.__table__, _donations.id == _items.donation_id).where(
        _donations.incident_slug == mark.incident_slug, _items.status == IntakeStatus.ON_FILE.value,
        _items.id > mark.item_cursor).order_by(_items.id).limit(limit)).all()
    if not rows:
        return 0
    matched = _refer(session, rows, incident_slug=mark.incident_slug, kind="item",
                     seeker_of=lambda row: donations.seeker_of(row, row),
                     summary=lambda row: donations.summary(row, row), now=now)
    if matched:
        session.execute(update(DonationItem.__table__).where(_items.id.in_(_id_list(matched)))
                        .values(status=IntakeStatus.MATCHED.value))
        now_matched = set(matched)
        offers = sorted({row.donation_id for row in rows if row.id in now_matched})
        session.execute(update(Donation.__table__).where(_donations.id.in_(_id_list(offers)))
                        .values(status=IntakeStatus.MATCHED.value))
    mark.item_cursor = rows[-1].id
    return len(rows)


def rematch_incident(session: Session, *, mark: RematchRequest, now: datetime, limit: int) -> int:
    """Match up to `limit` reserve volunteers and on-file items after the mark's cursors; moves the cursors on
    and drops the mark once both are through. Answers how many were looked at."""
    seen = 0
    if _active(session, mark.incident_slug):
        seen = _volunteer_batch(session, mark, now=now, limit=limit)
        if seen < limit:
            seen += _item_batch(session, mark, now=now, limit=limit - seen)
        if seen >= limit:  # more may wait: the next batch goes on from the cursors
            session.add(mark)
            session.flush()
            return seen
    session.delete(mark)
    session.flush()
    return seen


def run_pending(session: Session, *, now: datetime, limit: int = BATCH) -> int:
    """Work through the marked incidents, oldest request first, at most `limit` people in all."""
    left = limit
    marks = session.exec(select(RematchRequest).order_by(RematchRequest.requested_at)
                         .with_for_update(skip_locked=True)).all()
    for mark in marks:
        if left <= 0:
            break
        left -= rematch_incident(session, mark=mark, now=now, limit=left)
    return limit - left
