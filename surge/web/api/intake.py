"""Volunteer registrations and donation offers over HTTP, for call-takers' tools and partner systems."""

from __future__ import annotations

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from surge.access.permissions import TAKE_INTAKE
from surge.intake import donations, offers, volunteers
from surge.intake.forms import DonationIn, IntakeOut, VolunteerIn
from surge.intake.models import Source
from surge.kernel.idempotency import run_once
from surge.kernel.validation import RowId
from surge.web.api.routing import ANY_SIGNED_IN, Call, Operation, api_route
from surge.web.infra.idempotency_header import idempotency_key, request_hash
from surge.web.infra.templating import language_of
from surge.web.infra.transaction import in_transaction


class IncidentPath(BaseModel):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")


class DonationPath(BaseModel):
    id: RowId


async def _take(request: Request, call: Call, take, kind: str) -> IntakeOut | Response:
    """Take the record once; with an Idempotency-Key, a retry answers what the first request answered."""
    arguments = {"incident_slug": call.params.slug, "data": call.body, "source": Source.API, "actor": call.principal,
                 "now": request.app.state.clock(), "language": language_of(request)}
    key = idempotency_key(request)
    if key is None:
        return await in_transaction(request, take, **arguments)

    def work(session):
        return 201, take(session, **arguments).model_dump(mode="json")

    # The path as the server got it, not `request.url.path`: building the URL cost more than the hash (the slug's
    # pattern leaves the two equal).
    status, answer = await run_in_threadpool(
        run_once, request.app.state.engine, f"api:{kind}:{call.params.slug}:{call.principal.actor}", key,
        request_hash("POST", request.scope["path"], call.body.model_dump(mode="json")), work)
    return JSONResponse(answer, status_code=status)


async def register_volunteer(request: Request, call: Call) -> IntakeOut | Response:
    return await _take(request, call, volunteers.register, "volunteers")


async def offer_donation(request: Request, call: Call) -> IntakeOut | Response:
    return await _take(request, call, donations.offer, "donations")


async def donation_xml(request: Request, call: Call) -> Response:
    text = await in_transaction(request, offers.offer_xml, donation_id=call.params.id, actor=call.principal)
    return Response(text, media_type="application/xml; charset=utf-8")


TAG = "intake"
routes = [
    api_route("/api/v1/incidents/{slug}/volunteers", register_volunteer, methods=["POST"], name="api_volunteers",
              op=Operation(summary="Register a volunteer (the same phone or e-mail updates one record; an "
                           "Idempotency-Key header makes a retry answer the first result)", tag=TAG,
                           permission=TAKE_INTAKE, params=IncidentPath, body=VolunteerIn, response=IntakeOut,
                           status=201, errors=(400, 404, 409))),
    api_route("/api/v1/incidents/{slug}/donations", offer_donation, methods=["POST"], name="api_donations",
              op=Operation(summary="Take a donation offer: items referred where needed, or kept on file", tag=TAG,
                           permission=TAKE_INTAKE, params=IncidentPath, body=DonationIn, response=IntakeOut,
                           status=201, errors=(400, 404, 409))),
    api_route("/api/v1/donations/{id}.xml", donation_xml, methods=["GET"], name="api_donation_edxl",
              op=Operation(summary="A donation offer as an EDXL-RM 1.0 OfferUnsolicitedResource message", tag=TAG,
                           permission=ANY_SIGNED_IN, params=DonationPath, response=IntakeOut,
                           media_type="application/xml", errors=(403, 404))),
]
