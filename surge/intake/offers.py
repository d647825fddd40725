"""A donation offer as an OASIS EDXL-RM 1.0 OfferUnsolicitedResource message, for partner systems.

Who reads it: emergency managers and admins, and a clearinghouse that was referred one of its items (any
other gets 404, as for an unknown offer). The donor's contact is in it only for managers and for a
clearinghouse that accepted one of its items; each such reading is audited.
"""

from __future__ import annotations

from sqlmodel import Session, select

from clearinghouse import edxl_rm
from surge.access import permissions
from surge.access.principal import Principal
from surge.access.roles import Role
from surge.incidents.models import Incident
from surge.intake.models import Donation, DonationItem, Referral, ReferralState
from surge.kernel import audit
from surge.kernel.errors import NotFound
from surge.kernel.i18n import N_

WITH_CONTACT = (ReferralState.ACCEPTED.value, ReferralState.FULFILLED.value)


def _not_found(donation_id: int) -> NotFound:
    return NotFound(N_("There is no donation offer %(id)s."), params={"id": donation_id})


def _may_see_contact(session: Session, donation_id: int, actor: Principal) -> bool:
    if actor.role == Role.CLEARINGHOUSE:
        states = session.exec(select(Referral.state).join(DonationItem, DonationItem.id == Referral.donation_item_id)
                              .where(DonationItem.donation_id == donation_id,
                                     Referral.clearinghouse_slug == actor.clearinghouse_slug)).all()
        if not states:
            raise _not_found(donation_id)
        return any(state in WITH_CONTACT for state in states)
    permissions.require(actor, permissions.MANAGE_INCIDENTS)
    return True


def offer_xml(session: Session, *, donation_id: int, actor: Principal) -> str:
    donation = session.get(Donation, donation_id)
    if donation is None:
        raise _not_found(donation_id)
    with_contact = _may_see_contact(session, donation_id, actor)
    items = session.exec(select(DonationItem).where(DonationItem.donation_id == donation_id)
                         .order_by(DonationItem.id)).all()
    if not items:  # a gift of money only: there is no resource to offer
        raise NotFound(N_("Donation offer %(id)s offers money only; it has no EDXL-RM resource message."),
                       params={"id": donation_id})
    incident = session.get(Incident, donation.incident_slug)
    offer = edxl_rm.Offer(
        id=donation.reference, incident_slug=incident.slug, incident_name=incident.name, sent=donation.created_at,
        sender=edxl_rm.Sender(organisation=donation.organisation, person=donation.name, phone=donation.phone,
                              email=donation.email),
        donor_type=donation.donor_type,
        items=tuple(edxl_rm.OfferItem(category=i.category, description=i.description, quantity=i.quantity,
                                      unit=i.unit, condition=i.condition, packaging=i.packaging,
                                      perishable=i.perishable, expires=i.expiry) for i in items),
        location=edxl_rm.OfferLocation(zip=donation.zip, lat=donation.lat, lon=donation.lon),
        can_deliver=donation.can_deliver, available_from=donation.available_from,
        available_to=donation.available_to, estimated_value=donation.estimated_value)
    if with_contact:
        audit.record(session, actor=actor.actor, action="contact.view", target_type="donation",
                     target_id=str(donation_id), diff={"via": "edxl-rm"})
    return edxl_rm.render(offer, with_contact=with_contact)
