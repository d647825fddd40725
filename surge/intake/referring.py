"""Referring a volunteer or an item: match against the incident's linked clearinghouses, write the referrals,
and tell each clearinghouse through the outbox in the same transaction. No contact details leave here: a
clearinghouse reads those after it accepts."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlmodel import Session, select

from clearinghouse import matching
from clearinghouse.matching import Match, Seeker
from surge.intake import places
from surge.intake.models import Referral, ReferralState
from surge.kernel.db import insert_many, insert_new
from surge.kernel.i18n import N_, translate
from surge.outbox import enqueue
from surge.outbox.enqueue import Notice

SENT = ReferralState.SENT.value  # read once: an enum's value costs a lookup each time, many times a pass


def _notice(referral: Referral, *, kind: str, summary: dict, language: str) -> Notice:
    text = translate(language, N_("Surge referred a %(kind)s to you for %(code)s (referral %(id)s). Acknowledge it "
                                  "in the clearinghouse portal; the contact details show once you accept."),
                     kind=kind, code=referral.code, id=referral.id)
    payload = {"referral": {"id": referral.id, "state": referral.state, "incident": referral.incident_slug,
                            "code": referral.code, "kind": kind, "distance_miles": referral.distance_miles,
                            "ack_due_at": referral.ack_due_at.isoformat() if referral.ack_due_at else None},
               "summary": summary}
    return Notice(topic="referral.sent", subject=translate(language, N_("New referral %(id)s"), id=referral.id),
                  text=text, payload=payload)


def choose(session: Session, *, incident_slug: str, seeker: Seeker, kind: str, now: datetime,
           exclude: frozenset[str] = frozenset(), found: places.Snapshot | None = None) -> list[Match]:
    """The best clearinghouses for the seeker, none already tried (`exclude`); maybe none."""
    found = found or places.snapshot(session, incident_slug)
    # Room is counted in the database, so only where everything else fits: most seekers fit a few clearinghouses
    # at most (often none: then nothing is counted).
    fits = [match for match in matching.candidates(seeker, found.nearby[kind].near(seeker))
            if match.slug not in exclude]
    if not fits:
        return []
    room = places.left_today(session, found=found, incident_slug=incident_slug, kind=kind, now=now,
                             among=frozenset(match.slug for match in fits))
    return matching.take(fits, matching.refer_count(kind), room)


@dataclass(frozen=True)
class Wanted:
    """The referrals one volunteer or item is to get."""

    best: list[Match]
    summary: dict  # what the clearinghouse reads of them before it accepts
    volunteer_id: int | None = None
    donation_item_id: int | None = None


def _values(match: Match, wanted: Wanted, *, incident_slug: str, now: datetime, found: places.Snapshot) -> dict:
    """Every column of a new referral but its id."""
    hours = found.ack_hours.get(match.slug)
    return {"incident_slug": incident_slug, "clearinghouse_slug": match.slug, "volunteer_id": wanted.volunteer_id,
            "donation_item_id": wanted.donation_item_id, "code": match.code, "distance_miles": match.distance_miles,
            "state": SENT, "reason": "", "released_why": None,
            "ack_due_at": now + timedelta(hours=hours) if hours else None,
            "remind_at": now + timedelta(hours=hours) / 2 if hours else None, "sent_at": now,
            "acknowledged_at": None, "accepted_at": None, "declined_at": None, "fulfilled_at": None,
            "released_at": None, "updated_at": now, "updated_by": "surge"}


def _digest(referrals: list, *, incident_slug: str, language: str) -> Notice:
    """One e-mail for a clearinghouse's referrals of one pass, listed: a re-match may bring it hundreds at once."""
    lines = [translate(language, N_("Referral %(id)s: %(code)s"), id=r.id, code=r.code) for r in referrals]
    text = translate(language, N_("Surge referred these to you for %(incident)s. Acknowledge each in the "
                                  "clearinghouse portal; the contact details show once you accept."),
                     incident=incident_slug)
    return Notice(topic="referral.sent", subject=translate(language, N_("New referrals: %(count)s"),
                                                           count=len(referrals)),
                  text=text + "\n\n" + "\n".join(lines))


def _notice_rows(made: list, summaries: list[dict], *, kind: str, now: datetime,
                 found: places.Snapshot) -> Iterator[dict]:
    """The outbox rows telling each clearinghouse of its referrals (`made`: referrals, or their attributes).

    A partner system gets one webhook a referral, whatever the number. A person gets one e-mail a referral when
    there is one, and one listing them all when a clearinghouse gets several at once."""
    theirs: dict[str, list[tuple]] = defaultdict(list)
    for referral, summary in zip(made, summaries):
        theirs[referral.clearinghouse_slug].append((referral, summary))
    for slug, referred in theirs.items():
        reach = found.reach[slug]
        listed = len(referred) > 1
        if listed:
            first = referred[0][0]
            yield from enqueue.clearinghouse_rows(
                dataclasses.replace(reach, webhook_url=None), key=f"referrals:{first.id}:sent", now=now,
                notice=_digest([r for r, _ in referred], incident_slug=first.incident_slug,
                               language=reach.language))
            if not reach.webhook_url:
                continue
        each = dataclasses.replace(reach, delivery_emails=()) if listed else reach
        for referral, summary in referred:
            yield from enqueue.clearinghouse_rows(each, key=f"referral:{referral.id}:sent", now=now,
                                                  notice=_notice(referral, kind=kind, summary=summary,
                                                                 language=reach.language))


def send(session: Session, best: list[Match], *, incident_slug: str, kind: str, now: datetime, summary: dict,
         volunteer_id: int | None = None, donation_item_id: int | None = None,
         found: places.Snapshot | None = None) -> list[Referral]:
    """Write a referral to each match, and its notice to the outbox; the referrals made."""
    if not best:
        return []
    found = found or places.snapshot(session, incident_slug)
    wanted = Wanted(best, summary, volunteer_id=volunteer_id, donation_item_id=donation_item_id)
    made = [Referral(**_values(match, wanted, incident_slug=incident_slug, now=now, found=found)) for match in best]
    insert_new(session, made)
    enqueue.write(session, list(_notice_rows(made, [summary] * len(made), kind=kind, now=now, found=found)))
    return made


def _new_ids(session: Session, values: list[dict], *, kind: str, incident_slug: str, now: datetime) -> list[int]:
    """The ids of referrals just written from `values`, in their order: each is the only referral of its person or
    item to its clearinghouse sent at `now` (nobody is referred to a clearinghouse twice)."""
    owner = "volunteer_id" if kind == "volunteer" else "donation_item_id"
    column = Referral.__table__.c[owner]
    owners = [value[owner] for value in values]
    found = {(who, slug): new_id for new_id, who, slug in session.execute(
        select(Referral.__table__.c.id, column, Referral.__table__.c.clearinghouse_slug).where(
            Referral.__table__.c.incident_slug == incident_slug, Referral.__table__.c.sent_at == now,
            column.between(min(owners), max(owners))))}
    return [found[(value[owner], value["clearinghouse_slug"])] for value in values]


def send_all(session: Session, wanted: Iterable[Wanted], *, incident_slug: str, kind: str, now: datetime,
             found: places.Snapshot) -> int:
    """`send` for many seekers at once, no objects built: the referrals in one bulk insert, their ids read back in
    one query (a bulk insert returns none), the notices in another bulk insert. Answers how many referrals.

    `wanted` may be a generator, the caller's matching: each referral goes to the database as it is chosen, so
    the database stores them while the rest are being chosen."""
    made, summaries = [], []

    def values() -> Iterator[dict]:
        for one in wanted:
            for match in one.best:
                value = _values(match, one, incident_slug=incident_slug, now=now, found=found)
                made.append(value)
                summaries.append(one.summary)
                yield value
    insert_many(session, Referral.__table__, values())
    if not made:
        return 0
    ids = _new_ids(session, made, kind=kind, incident_slug=incident_slug, now=now)
    referrals = [SimpleNamespace(id=new_id, **value) for new_id, value in zip(ids, made)]
    # The notices' keys name the referrals just made, so none can be there already.
    enqueue.write_new(session, _notice_rows(referrals, summaries, kind=kind, now=now, found=found))
    return len(referrals)


def refer(session: Session, *, incident_slug: str, seeker: Seeker, kind: str, now: datetime, summary: dict,
          volunteer_id: int | None = None, donation_item_id: int | None = None,
          exclude: frozenset[str] = frozenset()) -> list[Referral]:
    """Refer to the best clearinghouses (none already tried: `exclude`); the referrals made, maybe none."""
    found = places.snapshot(session, incident_slug)
    best = choose(session, incident_slug=incident_slug, seeker=seeker, kind=kind, now=now, exclude=exclude,
                  found=found)
    return send(session, best, incident_slug=incident_slug, kind=kind, now=now, summary=summary,
                volunteer_id=volunteer_id, donation_item_id=donation_item_id, found=found)
