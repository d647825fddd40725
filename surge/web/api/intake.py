"""Volunteer registrations and donation offers over HTTP, for call-takers' tools and partner systems."""

from __future__ import annotations

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response

from surge.access.permissions import TAKE_INTAKE
from surge.intake import donations, offers, volunteers
from surge.intake.forms import DonationIn, IntakeOut, VolunteerIn
from surge.intake.models import Source
from surge.kernel.validation import RowId
from surge.web.api.routing import ANY_SIGNED_IN, Call, Operation, api_route
from surge.web.infra.templating import language_of
from surge.web.infra.transaction import in_transaction


class IncidentPath(BaseModel):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")


class DonationPath(BaseModel):
    id: RowId


async def register_volunteer(request: Request, call: Call) -> IntakeOut:
    return await in_transaction(request, volunteers.register, incident_slug=call.params.slug, data=call.body,
                                source=Source.API, actor=call.principal, now=request.app.state.clock(),
                                language=language_of(request))


async def offer_donation(request: Request, call: Call) -> IntakeOut:
    return await in_transaction(request, donations.offer, incident_slug=call.params.slug, data=call.body,
                                source=Source.API, actor=call.principal, now=request.app.state.clock(),
                                language=language_of(request))


async def donation_xml(request: Request, call: Call) -> Response:
    text = await in_transaction(request, offers.offer_xml, donation_id=call.params.id, actor=call.principal)
    return Response(text, media_type="application/xml; charset=utf-8")


TAG = "intake"
routes = [
    api_route("/api/v1/incidents/{slug}/volunteers", register_volunteer, methods=["POST"], name="api_volunteers",
              op=Operation(summary="Register a volunteer (the same phone or e-mail updates one record)", tag=TAG,
                           permission=TAKE_INTAKE, params=IncidentPath, body=VolunteerIn, response=IntakeOut,
                           status=201, errors=(404, 409))),
    api_route("/api/v1/incidents/{slug}/donations", offer_donation, methods=["POST"], name="api_donations",
              op=Operation(summary="Take a donation offer: items referred where needed, or kept on file", tag=TAG,
                           permission=TAKE_INTAKE, params=IncidentPath, body=DonationIn, response=IntakeOut,
                           status=201, errors=(404, 409))),
    api_route("/api/v1/donations/{id}.xml", donation_xml, methods=["GET"], name="api_donation_edxl",
              op=Operation(summary="A donation offer as an EDXL-RM 1.0 OfferUnsolicitedResource message", tag=TAG,
                           permission=ANY_SIGNED_IN, params=DonationPath, response=IntakeOut,
                           media_type="application/xml", errors=(403, 404))),
]
