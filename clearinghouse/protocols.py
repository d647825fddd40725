"""Protocols: made with a clearinghouse or one by one, checked against what the clearinghouse accepts,
and the rule for whether one brings its clearinghouse into an incident.

Plain functions over the session; the caller (the API) checks who may act and passes the actor's audit name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, func
from sqlmodel import Session, select

from clearinghouse.models import Clearinghouse
from clearinghouse.protocol_models import MAX_PROTOCOLS, ClearinghouseProtocol, ProtocolIn, ProtocolOut
from surge.kernel import audit
from surge.kernel.clock import utcnow
from surge.kernel.errors import Conflict, NotFound, ValidationFailed
from surge.kernel.i18n import N_


# --- the rules (pure) -------------------------------------------------------------------------------------


def valid_on(protocol: ClearinghouseProtocol | ProtocolOut, day: date) -> bool:
    return (protocol.valid_from is None or protocol.valid_from <= day) and (
        protocol.valid_to is None or day <= protocol.valid_to)


def applies(protocol: ClearinghouseProtocol | ProtocolOut, *, incident_type: str, on: date) -> bool:
    """Whether this protocol brings its clearinghouse into an incident of this type on this day."""
    return incident_type in protocol.incident_types and valid_on(protocol, on)


def covered(protocol: ClearinghouseProtocol | ProtocolOut, accepts: dict) -> tuple[list[str], list[str]]:
    """The skills and donation categories a protocol covers: its own, or everything accepted when it names none."""
    if not protocol.skills and not protocol.donation_categories:
        return list(accepts.get("skills", [])), list(accepts.get("donation_categories", []))
    return list(protocol.skills), list(protocol.donation_categories)


def check_fits(protocol: ProtocolIn | ClearinghouseProtocol, accepts: dict, *, where: str) -> None:
    """A protocol may only promise what its clearinghouse accepts: 422 naming the first code that it does not."""
    for field, accepted in (("skills", accepts.get("skills", [])),
                            ("donation_categories", accepts.get("donation_categories", []))):
        for code in getattr(protocol, field):
            if code not in accepted:
                raise ValidationFailed(
                    N_("The clearinghouse does not accept %(code)s, so a protocol cannot name it."),
                    params={"code": code},
                    fields={f"{where}.{field}": N_("Name only what the clearinghouse accepts.")})


# --- storage --------------------------------------------------------------------------------------------------


def _clearinghouse(session: Session, slug: str) -> Clearinghouse:
    row = session.get(Clearinghouse, slug)
    if row is None:
        raise NotFound(N_("There is no clearinghouse %(slug)s."), params={"slug": slug})
    return row


def _find(session: Session, slug: str, protocol_id: int) -> ClearinghouseProtocol:
    row = session.get(ClearinghouseProtocol, protocol_id)
    if row is None or row.clearinghouse_slug != slug:
        raise NotFound(N_("The clearinghouse %(slug)s has no protocol %(id)s."),
                       params={"slug": slug, "id": protocol_id})
    return row


def _apply(row: ClearinghouseProtocol, data: ProtocolIn) -> None:
    row.incident_types = [kind.value for kind in data.incident_types]
    row.skills = data.skills
    row.donation_categories = data.donation_categories
    row.ack_hours = data.ack_hours
    row.escalation = data.escalation.model_dump()
    row.mou = data.mou
    row.valid_from = data.valid_from
    row.valid_to = data.valid_to
    row.updated_at = utcnow()


def _summary(row: ClearinghouseProtocol) -> dict:
    # No escalation contact in the audit log: only what the protocol promises and when.
    return {"incident_types": row.incident_types, "skills": row.skills,
            "donation_categories": row.donation_categories, "ack_hours": row.ack_hours,
            "valid_from": row.valid_from, "valid_to": row.valid_to}


def by_clearinghouse(session: Session, slugs: Iterable[str]) -> dict[str, list[ProtocolOut]]:
    """The protocols of these clearinghouses, in one query."""
    wanted = list(slugs)
    found: dict[str, list[ProtocolOut]] = {slug: [] for slug in wanted}
    if not wanted:
        return found
    rows = session.exec(select(ClearinghouseProtocol).where(ClearinghouseProtocol.clearinghouse_slug.in_(wanted))
                        .order_by(ClearinghouseProtocol.id)).all()
    for row in rows:
        found[row.clearinghouse_slug].append(ProtocolOut.of(row))
    return found


def replace_all(session: Session, *, clearinghouse: Clearinghouse, protocols: list[ProtocolIn], actor: str) -> None:
    """The clearinghouse's protocols become exactly these (made with it, or replaced by a change to it)."""
    for index, protocol in enumerate(protocols):
        check_fits(protocol, clearinghouse.accepts, where=f"protocols.{index}")
    before = [_summary(row) for row in session.exec(select(ClearinghouseProtocol).where(
        ClearinghouseProtocol.clearinghouse_slug == clearinghouse.slug).order_by(ClearinghouseProtocol.id))]
    session.execute(delete(ClearinghouseProtocol).where(
        ClearinghouseProtocol.clearinghouse_slug == clearinghouse.slug))
    rows = []
    for protocol in protocols:
        row = ClearinghouseProtocol(clearinghouse_slug=clearinghouse.slug)
        _apply(row, protocol)
        rows.append(row)
    session.add_all(rows)
    session.flush()
    audit.record(session, actor=actor, action="clearinghouse.protocols", target_type="clearinghouse",
                 target_id=clearinghouse.slug, diff={"before": before, "after": [_summary(row) for row in rows]})


def check_stored_fit(session: Session, *, clearinghouse: Clearinghouse) -> None:
    """After a change to what a clearinghouse accepts, its kept protocols must still fit it."""
    rows = session.exec(select(ClearinghouseProtocol).where(
        ClearinghouseProtocol.clearinghouse_slug == clearinghouse.slug).order_by(ClearinghouseProtocol.id)).all()
    for index, row in enumerate(rows):
        check_fits(row, clearinghouse.accepts, where=f"protocols.{index}")


def list_for(session: Session, *, slug: str) -> list[ProtocolOut]:
    _clearinghouse(session, slug)
    return by_clearinghouse(session, [slug])[slug]


def get(session: Session, *, slug: str, protocol_id: int) -> ProtocolOut:
    return ProtocolOut.of(_find(session, slug, protocol_id))


def create(session: Session, *, slug: str, data: ProtocolIn, actor: str) -> ProtocolOut:
    clearinghouse = _clearinghouse(session, slug)
    check_fits(data, clearinghouse.accepts, where="body")
    count = session.exec(select(func.count()).select_from(ClearinghouseProtocol).where(
        ClearinghouseProtocol.clearinghouse_slug == slug)).one()
    if count >= MAX_PROTOCOLS:
        raise Conflict(N_("A clearinghouse may have at most %(count)s protocols."), params={"count": MAX_PROTOCOLS})
    row = ClearinghouseProtocol(clearinghouse_slug=slug)
    _apply(row, data)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="clearinghouse.protocol.create", target_type="clearinghouse_protocol",
                 target_id=row.id, diff={"clearinghouse": slug, **_summary(row)})
    return ProtocolOut.of(row)


def update(session: Session, *, slug: str, protocol_id: int, data: ProtocolIn, actor: str) -> ProtocolOut:
    clearinghouse = _clearinghouse(session, slug)
    row = _find(session, slug, protocol_id)
    check_fits(data, clearinghouse.accepts, where="body")
    before = _summary(row)
    _apply(row, data)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="clearinghouse.protocol.update", target_type="clearinghouse_protocol",
                 target_id=row.id, diff={"clearinghouse": slug, "before": before, "after": _summary(row)})
    return ProtocolOut.of(row)


def remove(session: Session, *, slug: str, protocol_id: int, actor: str) -> ProtocolOut:
    row = _find(session, slug, protocol_id)
    answer = ProtocolOut.of(row)
    session.delete(row)
    session.flush()
    audit.record(session, actor=actor, action="clearinghouse.protocol.delete", target_type="clearinghouse_protocol",
                 target_id=protocol_id, diff={"clearinghouse": slug, **_summary(row)})
    return answer
