"""Referring a volunteer or an item: match against the incident's linked clearinghouses, write the referrals,
and tell each clearinghouse through the outbox in the same transaction. No contact details leave here: a
clearinghouse reads those after it accepts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from clearinghouse import matching
from clearinghouse.matching import Match, Seeker
from surge.intake import places
from surge.intake.models import Referral
from surge.kernel.db import insert_new
from surge.kernel.i18n import N_, translate
from surge.outbox import enqueue
from surge.outbox.enqueue import Notice


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
    # Room is counted in the database, so only where everything else fits: the places kept in memory carry no
    # count, and most seekers fit a few clearinghouses at most (often none: then nothing is counted).
    fitting = frozenset(match.slug for match in matching.candidates(seeker, found.places[kind])) - exclude
    candidates = places.linked_places(session, incident_slug=incident_slug, kind=kind, now=now, found=found,
                                      among=fitting)
    return matching.top(seeker, candidates, matching.refer_count(kind))


def send(session: Session, best: list[Match], *, incident_slug: str, kind: str, now: datetime, summary: dict,
         volunteer_id: int | None = None, donation_item_id: int | None = None,
         found: places.Snapshot | None = None) -> list[Referral]:
    """Write a referral to each match, and its notice to the outbox; the referrals made."""
    if not best:
        return []
    found = found or places.snapshot(session, incident_slug)
    made = []
    for match in best:
        hours = found.ack_hours.get(match.slug)
        referral = Referral(incident_slug=incident_slug, clearinghouse_slug=match.slug, volunteer_id=volunteer_id,
                            donation_item_id=donation_item_id, code=match.code, distance_miles=match.distance_miles,
                            ack_due_at=now + timedelta(hours=hours) if hours else None,
                            remind_at=now + timedelta(hours=hours) / 2 if hours else None, sent_at=now,
                            updated_at=now, updated_by="surge")
        made.append(referral)
    insert_new(session, made)
    rows = []
    for referral in made:
        reach = found.reach[referral.clearinghouse_slug]
        rows += enqueue.clearinghouse_rows(reach, key=f"referral:{referral.id}:sent", now=now,
                                           notice=_notice(referral, kind=kind, summary=summary,
                                                          language=reach.language))
    enqueue.write(session, rows)
    return made


def refer(session: Session, *, incident_slug: str, seeker: Seeker, kind: str, now: datetime, summary: dict,
          volunteer_id: int | None = None, donation_item_id: int | None = None,
          exclude: frozenset[str] = frozenset()) -> list[Referral]:
    """Refer to the best clearinghouses (none already tried: `exclude`); the referrals made, maybe none."""
    found = places.snapshot(session, incident_slug)
    best = choose(session, incident_slug=incident_slug, seeker=seeker, kind=kind, now=now, exclude=exclude,
                  found=found)
    return send(session, best, incident_slug=incident_slug, kind=kind, now=now, summary=summary,
                volunteer_id=volunteer_id, donation_item_id=donation_item_id, found=found)
