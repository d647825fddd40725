"""Needs lists: what a clearinghouse needs now for an incident, what it does not, and what is full.

On the kernel only: the caller checks who may act and that the clearinghouse is in the incident.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, insert
from sqlmodel import Session, select

from clearinghouse.needs_models import ClearinghouseNeed, NeedIn, NeedOut, NeedsIn, NeedsOut
from clearinghouse.taxonomy import DONATION_CATEGORIES, SKILLS
from surge.kernel import audit
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_

LABELS = {term.code: term.label for term in (*SKILLS, *DONATION_CATEGORIES)}
ORDER = {code: index for index, code in enumerate(LABELS)}  # the taxonomy's order, skills first


def check_codes(items: Iterable[NeedIn]) -> None:
    for index, item in enumerate(items):
        if item.code not in LABELS:
            raise ValidationFailed(N_("%(code)s is not a skill or donation category of the taxonomy."),
                                   params={"code": item.code},
                                   fields={f"items.{index}.code": N_("Use a code from GET /api/v1/taxonomy.")})


def _out(row: ClearinghouseNeed) -> NeedOut:
    return NeedOut(code=row.code, label=LABELS.get(row.code, row.code), status=row.status, quantity=row.quantity,
                   note=row.note, updated_at=row.updated_at, updated_by=row.updated_by)


def lists_for(session: Session, *, incident_slug: str, clearinghouses: Iterable[str]) -> dict[str, list[NeedOut]]:
    """Each clearinghouse's list for the incident, in the taxonomy's order, in one query."""
    wanted = list(clearinghouses)
    found: dict[str, list[NeedOut]] = {slug: [] for slug in wanted}
    if not wanted:
        return found
    rows = session.exec(select(ClearinghouseNeed).where(ClearinghouseNeed.incident_slug == incident_slug,
                                                        ClearinghouseNeed.clearinghouse_slug.in_(wanted))).all()
    for row in sorted(rows, key=lambda r: ORDER.get(r.code, len(ORDER))):
        found[row.clearinghouse_slug].append(_out(row))
    return found


def get(session: Session, *, incident_slug: str, clearinghouse_slug: str) -> NeedsOut:
    items = lists_for(session, incident_slug=incident_slug, clearinghouses=[clearinghouse_slug])[clearinghouse_slug]
    return NeedsOut(incident=incident_slug, clearinghouse=clearinghouse_slug, items=items)


def _summary(items: Iterable) -> dict:
    return {item.code: item.status if item.quantity is None else f"{item.status} ({item.quantity})"
            for item in items}


def replace(session: Session, *, incident_slug: str, clearinghouse_slug: str, data: NeedsIn, actor: str,
            now: datetime) -> NeedsOut:
    """The list becomes exactly these items; audited as before and after."""
    check_codes(data.items)
    scope = (ClearinghouseNeed.incident_slug == incident_slug,
             ClearinghouseNeed.clearinghouse_slug == clearinghouse_slug)
    before = _summary(session.exec(select(ClearinghouseNeed).where(*scope)).all())
    session.execute(delete(ClearinghouseNeed).where(*scope))
    if data.items:
        session.execute(insert(ClearinghouseNeed), [
            {"incident_slug": incident_slug, "clearinghouse_slug": clearinghouse_slug, "code": item.code,
             "status": item.status.value, "quantity": item.quantity, "note": item.note, "updated_at": now,
             "updated_by": actor} for item in data.items])
    audit.record(session, actor=actor, action="clearinghouse.needs", target_type="clearinghouse",
                 target_id=clearinghouse_slug,
                 diff={"incident": incident_slug, "before": before, "after": _summary(data.items)})
    return get(session, incident_slug=incident_slug, clearinghouse_slug=clearinghouse_slug)
