"""Clearinghouses over HTTP. The clearinghouse package knows no roles, so who may act is checked here:
admins and emergency managers manage every clearinghouse; a clearinghouse's coordinator edits their own."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response

from clearinghouse import registry
from clearinghouse.models import ClearinghouseFields, ClearinghouseIn, ClearinghouseListOut, ClearinghouseOut
from surge.access import permissions
from surge.access.roles import Role
from surge.centers.permissions import READ_NETWORK
from surge.kernel.errors import Forbidden
from surge.kernel.i18n import N_
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.geometry_workers import CLIENT_GONE, run_for_client
from surge.web.infra.transaction import in_transaction


class ClearinghousePath(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {"slug": N_("Use lower-case letters, digits and hyphens only.")}

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")


async def _area_counties(request: Request, data: ClearinghouseFields):
    return None if data.area is None else await run_for_client(request, registry.area_counties, data.area)


async def create(request: Request, call: Call) -> ClearinghouseOut | Response:
    counties = await _area_counties(request, call.body)
    if counties is CLIENT_GONE:
        return Response(status_code=499)
    return await in_transaction(request, registry.create, data=call.body, actor=call.principal.actor,
                                counties_of_area=counties)


async def update(request: Request, call: Call) -> ClearinghouseOut | Response:
    caller = call.principal
    if caller.role == Role.CLEARINGHOUSE and caller.clearinghouse_slug != call.params.slug:
        raise Forbidden(N_("You may only change your own clearinghouse."))
    permissions.require(caller, permissions.EDIT_CLEARINGHOUSE)
    counties = await _area_counties(request, call.body)
    if counties is CLIENT_GONE:
        return Response(status_code=499)
    return await in_transaction(request, registry.update, slug=call.params.slug, data=call.body,
                                actor=caller.actor, counties_of_area=counties)


async def list_all(request: Request, call: Call) -> ClearinghouseListOut:
    return ClearinghouseListOut(clearinghouses=await in_transaction(request, registry.list_all))


async def get(request: Request, call: Call) -> ClearinghouseOut:
    return await in_transaction(request, registry.get, slug=call.params.slug)


TAG = "clearinghouses"
routes = [
    api_route("/api/v1/clearinghouses", list_all, methods=["GET"], name="api_clearinghouses", op=Operation(
        summary="Clearinghouses that manage volunteers and donations", tag=TAG, permission=READ_NETWORK,
        response=ClearinghouseListOut)),
    api_route("/api/v1/clearinghouses", create, methods=["POST"], name="api_clearinghouse_create", op=Operation(
        summary="Add a clearinghouse", tag=TAG, permission=permissions.MANAGE_CLEARINGHOUSES, body=ClearinghouseIn,
        response=ClearinghouseOut, status=201, errors=(409, 503))),
    api_route("/api/v1/clearinghouses/{slug}", get, methods=["GET"], name="api_clearinghouse", op=Operation(
        summary="One clearinghouse (its webhook secret is never shown)", tag=TAG, permission=READ_NETWORK,
        params=ClearinghousePath, response=ClearinghouseOut, errors=(404,))),
    api_route("/api/v1/clearinghouses/{slug}", update, methods=["PUT"], name="api_clearinghouse_update",
              op=Operation(summary="Change a clearinghouse (its coordinator: their own)", tag=TAG,
                           permission=permissions.EDIT_CLEARINGHOUSE, params=ClearinghousePath,
                           body=ClearinghouseFields, response=ClearinghouseOut, errors=(404, 503))),
]
