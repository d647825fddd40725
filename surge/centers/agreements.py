"""Overflow agreements between centers: made, changed and ended by admins or the from-center's supervisor; audited."""

from __future__ import annotations

from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.centers import network_revision
from surge.centers.models import Agreement, AgreementIn, Center
from surge.centers.permissions import EDIT_CENTERS, READ_NETWORK, require_own_center
from surge.centers.views import AgreementOut
from surge.kernel import audit
from surge.kernel.clock import utcnow
from surge.kernel.errors import NotFound, ValidationFailed
from surge.kernel.i18n import N_


def _check(session: Session, data: AgreementIn) -> None:
    for field, slug in (("from", data.from_), ("to", data.to)):
        center = session.get(Center, slug)
        if center is None or not center.active:
            raise ValidationFailed(N_("There is no active center %(slug)s."), params={"slug": slug},
                                   fields={field: N_("Unknown center.")})
    home = session.get(Center, data.from_)
    outside = [fips for fips in data.counties if fips not in set(home.counties) | set(home.area_counties)]
    if outside:
        raise ValidationFailed(N_("County %(fips)s is not covered by the center %(slug)s."),
                               params={"fips": outside[0], "slug": data.from_},
                               fields={"counties": N_("Only counties the from-center covers can be named.")})


def _apply(agreement: Agreement, data: AgreementIn) -> None:
    agreement.from_center = data.from_
    agreement.to_center = data.to
    agreement.priority = data.priority
    agreement.counties = data.counties
    agreement.languages = data.languages
    agreement.triggers = data.triggers.stored()
    agreement.max_calls_per_hour = data.max_calls_per_hour
    agreement.disaster_only = data.disaster_only
    agreement.valid_from = data.valid_from
    agreement.valid_to = data.valid_to
    agreement.updated_at = utcnow()


def _find(session: Session, agreement_id: int) -> Agreement:
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound(N_("There is no agreement %(id)s."), params={"id": agreement_id})
    return agreement


def _audit(session: Session, actor: Principal, action: str, agreement: Agreement, before: dict | None = None):
    after = AgreementOut.of(agreement).model_dump(mode="json", by_alias=True)
    audit.record(session, actor=actor.actor, action=action, target_type="agreement", target_id=agreement.id,
                 diff={"before": before, "after": after} if before is not None else after)


def create(session: Session, *, data: AgreementIn, actor: Principal) -> AgreementOut:
    require_own_center(actor, data.from_, EDIT_CENTERS)
    _check(session, data)
    agreement = Agreement(from_center=data.from_, to_center=data.to)
    _apply(agreement, data)
    session.add(agreement)
    session.flush()
    network_revision.bump(session)
    _audit(session, actor, "agreement.create", agreement)
    return AgreementOut.of(agreement)


def update(session: Session, *, agreement_id: int, data: AgreementIn, actor: Principal) -> AgreementOut:
    agreement = _find(session, agreement_id)
    require_own_center(actor, agreement.from_center, EDIT_CENTERS)
    require_own_center(actor, data.from_, EDIT_CENTERS)
    _check(session, data)
    before = AgreementOut.of(agreement).model_dump(mode="json", by_alias=True)
    _apply(agreement, data)
    session.add(agreement)
    session.flush()
    network_revision.bump(session)
    _audit(session, actor, "agreement.update", agreement, before)
    return AgreementOut.of(agreement)


def delete(session: Session, *, agreement_id: int, actor: Principal) -> AgreementOut:
    agreement = _find(session, agreement_id)
    require_own_center(actor, agreement.from_center, EDIT_CENTERS)
    gone = AgreementOut.of(agreement)
    session.delete(agreement)
    session.flush()
    network_revision.bump(session)
    audit.record(session, actor=actor.actor, action="agreement.delete", target_type="agreement",
                 target_id=agreement_id, diff=gone.model_dump(mode="json", by_alias=True))
    return gone


def get(session: Session, *, agreement_id: int, actor: Principal) -> AgreementOut:
    permissions.require(actor, READ_NETWORK)
    return AgreementOut.of(_find(session, agreement_id))


def list_agreements(session: Session, *, actor: Principal, center: str | None = None) -> list[AgreementOut]:
    permissions.require(actor, READ_NETWORK)
    query = select(Agreement).order_by(Agreement.from_center, Agreement.priority, Agreement.id)
    if center:
        query = query.where((Agreement.from_center == center) | (Agreement.to_center == center))
    return [AgreementOut.of(agreement) for agreement in session.exec(query).all()]
