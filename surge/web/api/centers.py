"""Centers, overflow agreements and live status over HTTP."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response

from surge.centers import agreements, registry, status
from surge.centers.models import AgreementIn, Center, CenterFields, CenterIn, StatusIn
from surge.centers.permissions import CREATE_CENTERS, EDIT_CENTERS, READ_NETWORK, REPORT_FOR_CENTER
from surge.centers.views import AgreementListOut, AgreementOut, CenterListOut, CenterOut, StatusOut
from surge.kernel.i18n import N_
from surge.kernel.validation import RowId, SLUG_PATTERN
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.geometry_workers import CLIENT_GONE, run_for_client
from surge.web.infra.transaction import in_transaction

MAX_BULK = 200


async def change(request: Request, work, **kwargs):
    """A change to the network, shown in this process's routing at once (in other processes within a second)."""
    answer = await in_transaction(request, work, **kwargs)
    request.app.state.network.invalidate()
    return answer


class CenterPath(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {"slug": N_("Use lower-case letters, digits and hyphens only.")}

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")


class CenterListQuery(BaseModel):
    include_inactive: bool = Field(default=False, description="list deactivated centers too")


class CentersIn(BaseModel):
    centers: list[CenterIn] = Field(min_length=1, max_length=MAX_BULK)


class AgreementPath(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {"agreement_id": N_("Use the agreement's number.")}

    agreement_id: RowId


class AgreementListQuery(BaseModel):
    center: str | None = Field(default=None, max_length=63, pattern=SLUG_PATTERN.pattern,
                               description="only agreements from or to this center")


async def _area_counties(request: Request, data: CenterFields, actor) -> list[str] | None:
    """A drawn area's counties, worked out in a geometry worker, never in the request's thread."""
    if data.area is None:
        return None
    return await run_for_client(request, registry.area_counties, data.stored_area(), actor=actor)


async def list_centers(request: Request, call: Call) -> CenterListOut:
    centers = await in_transaction(request, registry.list_centers, actor=call.principal,
                                   include_inactive=call.params.include_inactive)
    return CenterListOut(centers=centers)


async def create_center(request: Request, call: Call) -> CenterOut | Response:
    counties = await _area_counties(request, call.body, call.principal)
    if counties is CLIENT_GONE:
        return Response(status_code=499)
    return await change(request, registry.create, data=call.body, actor=call.principal,
                                counties_of_area=counties)


def _save_all(session, *, centers: list[CenterIn], areas: dict[str, list[str]], actor) -> CenterListOut:
    saved = []
    for data in centers:
        if session.get(Center, data.slug) is not None:
            saved.append(registry.update(session, slug=data.slug, data=data, actor=actor,
                                         counties_of_area=areas.get(data.slug)))
        else:
            saved.append(registry.create(session, data=data, actor=actor, counties_of_area=areas.get(data.slug)))
    return CenterListOut(centers=saved)


async def put_centers(request: Request, call: Call) -> CenterListOut | Response:
    """Create or replace many centers at once, all or none."""
    areas = {}
    for data in call.body.centers:
        counties = await _area_counties(request, data, call.principal)
        if counties is CLIENT_GONE:
            return Response(status_code=499)
        if counties is not None:
            areas[data.slug] = counties
    return await change(request, _save_all, centers=call.body.centers, areas=areas, actor=call.principal)


async def get_center(request: Request, call: Call) -> CenterOut:
    return await in_transaction(request, registry.get, slug=call.params.slug, actor=call.principal)


async def update_center(request: Request, call: Call) -> CenterOut | Response:
    counties = await _area_counties(request, call.body, call.principal)
    if counties is CLIENT_GONE:
        return Response(status_code=499)
    return await change(request, registry.update, slug=call.params.slug, data=call.body,
                                actor=call.principal, counties_of_area=counties)


async def deactivate_center(request: Request, call: Call) -> CenterOut:
    return await change(request, registry.deactivate, slug=call.params.slug, actor=call.principal)


async def post_status(request: Request, call: Call) -> StatusOut:
    return await change(request, status.report, slug=call.params.slug, data=call.body, actor=call.principal)


async def get_status(request: Request, call: Call) -> StatusOut:
    return await in_transaction(request, status.get, slug=call.params.slug, actor=call.principal)


async def list_agreements(request: Request, call: Call) -> AgreementListOut:
    found = await in_transaction(request, agreements.list_agreements, actor=call.principal,
                                 center=call.params.center)
    return AgreementListOut(agreements=found)


async def create_agreement(request: Request, call: Call) -> AgreementOut:
    return await change(request, agreements.create, data=call.body, actor=call.principal)


async def get_agreement(request: Request, call: Call) -> AgreementOut:
    return await in_transaction(request, agreements.get, agreement_id=call.params.agreement_id,
                                actor=call.principal)


async def update_agreement(request: Request, call: Call) -> AgreementOut:
    return await change(request, agreements.update, agreement_id=call.params.agreement_id,
                                data=call.body, actor=call.principal)


async def delete_agreement(request: Request, call: Call) -> AgreementOut:
    return await change(request, agreements.delete, agreement_id=call.params.agreement_id,
                                actor=call.principal)


TAG = "centers"
routes = [
    api_route("/api/v1/centers", list_centers, methods=["GET"], name="api_centers", op=Operation(
        summary="The network's centers", tag=TAG, permission=READ_NETWORK, params=CenterListQuery,
        response=CenterListOut)),
    api_route("/api/v1/centers", create_center, methods=["POST"], name="api_center_create", op=Operation(
        summary="Add a center", tag=TAG, permission=CREATE_CENTERS, body=CenterIn, response=CenterOut,
        status=201, errors=(409, 503))),
    api_route("/api/v1/centers", put_centers, methods=["PUT"], name="api_centers_put", op=Operation(
        summary="Create or replace many centers at once (all or none)", tag=TAG, permission=CREATE_CENTERS,
        body=CentersIn, response=CenterListOut, errors=(503,))),
    api_route("/api/v1/centers/{slug}", get_center, methods=["GET"], name="api_center", op=Operation(
        summary="One center", tag=TAG, permission=READ_NETWORK, params=CenterPath, response=CenterOut,
        errors=(404,))),
    api_route("/api/v1/centers/{slug}", update_center, methods=["PUT"], name="api_center_update", op=Operation(
        summary="Change a center (admins: any; supervisors: their own)", tag=TAG, permission=EDIT_CENTERS,
        params=CenterPath, body=CenterFields, response=CenterOut, errors=(404, 503))),
    api_route("/api/v1/centers/{slug}", deactivate_center, methods=["DELETE"], name="api_center_deactivate",
              op=Operation(summary="Deactivate a center", tag=TAG, permission=CREATE_CENTERS, params=CenterPath,
                           response=CenterOut, errors=(404,))),
    api_route("/api/v1/centers/{slug}/status", post_status, methods=["POST"], name="api_center_status",
              op=Operation(summary="Report a center's live load (its phone system or supervisor)", tag=TAG,
                           permission=REPORT_FOR_CENTER, params=CenterPath, body=StatusIn, response=StatusOut,
                           errors=(404,))),
    api_route("/api/v1/centers/{slug}/status", get_status, methods=["GET"], name="api_center_status_get",
              op=Operation(summary="A center's last reported load", tag=TAG,
                           permission=READ_NETWORK | REPORT_FOR_CENTER, params=CenterPath,
                           response=StatusOut, errors=(404,))),
    api_route("/api/v1/agreements", list_agreements, methods=["GET"], name="api_agreements", op=Operation(
        summary="Overflow agreements", tag=TAG, permission=READ_NETWORK, params=AgreementListQuery,
        response=AgreementListOut)),
    api_route("/api/v1/agreements", create_agreement, methods=["POST"], name="api_agreement_create", op=Operation(
        summary="Make an overflow agreement", tag=TAG, permission=EDIT_CENTERS, body=AgreementIn,
        response=AgreementOut, status=201)),
    api_route("/api/v1/agreements/{agreement_id}", get_agreement, methods=["GET"], name="api_agreement",
              op=Operation(summary="One overflow agreement", tag=TAG, permission=READ_NETWORK,
                           params=AgreementPath, response=AgreementOut, errors=(404,))),
    api_route("/api/v1/agreements/{agreement_id}", update_agreement, methods=["PUT"], name="api_agreement_update",
              op=Operation(summary="Change an overflow agreement", tag=TAG, permission=EDIT_CENTERS,
                           params=AgreementPath, body=AgreementIn, response=AgreementOut, errors=(404,))),
    api_route("/api/v1/agreements/{agreement_id}", delete_agreement, methods=["DELETE"],
              name="api_agreement_delete", op=Operation(summary="End an overflow agreement", tag=TAG,
                                                        permission=EDIT_CENTERS, params=AgreementPath,
                                                        response=AgreementOut, errors=(404,))),
]
