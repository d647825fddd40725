"""A clearinghouse's protocols over HTTP: whoever may change the clearinghouse may change its protocols."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, Field
from starlette.requests import Request

from clearinghouse import protocols
from clearinghouse.protocol_models import ProtocolIn, ProtocolListOut, ProtocolOut
from surge.access import permissions
from surge.access.principal import Principal
from surge.access.roles import Role
from surge.centers.permissions import READ_NETWORK
from surge.kernel.errors import Forbidden
from surge.kernel.i18n import N_
from surge.kernel.validation import RowId
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.transaction import in_transaction


class ClearinghousePath(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {"slug": N_("Use lower-case letters, digits and hyphens only.")}

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")


class ProtocolPath(ClearinghousePath):
    id: RowId


def _may_edit(caller: Principal, slug: str) -> str:
    if caller.role == Role.CLEARINGHOUSE and caller.clearinghouse_slug != slug:
        raise Forbidden(N_("You may only change your own clearinghouse."))
    permissions.require(caller, permissions.EDIT_CLEARINGHOUSE)
    return caller.actor


async def list_for(request: Request, call: Call) -> ProtocolListOut:
    return ProtocolListOut(protocols=await in_transaction(request, protocols.list_for, slug=call.params.slug))


async def get(request: Request, call: Call) -> ProtocolOut:
    return await in_transaction(request, protocols.get, slug=call.params.slug, protocol_id=call.params.id)


async def create(request: Request, call: Call) -> ProtocolOut:
    actor = _may_edit(call.principal, call.params.slug)
    return await in_transaction(request, protocols.create, slug=call.params.slug, data=call.body, actor=actor)


async def update(request: Request, call: Call) -> ProtocolOut:
    actor = _may_edit(call.principal, call.params.slug)
    return await in_transaction(request, protocols.update, slug=call.params.slug, protocol_id=call.params.id,
                                data=call.body, actor=actor)


async def delete(request: Request, call: Call) -> ProtocolOut:
    actor = _may_edit(call.principal, call.params.slug)
    return await in_transaction(request, protocols.remove, slug=call.params.slug, protocol_id=call.params.id,
                                actor=actor)


TAG = "clearinghouses"
EDIT = permissions.EDIT_CLEARINGHOUSE
ONE = "/api/v1/clearinghouses/{slug}/protocols/{id}"
routes = [
    api_route("/api/v1/clearinghouses/{slug}/protocols", list_for, methods=["GET"], name="api_protocols",
              op=Operation(summary="A clearinghouse's protocols", tag=TAG, permission=READ_NETWORK,
                           params=ClearinghousePath, response=ProtocolListOut, errors=(404,))),
    api_route("/api/v1/clearinghouses/{slug}/protocols", create, methods=["POST"], name="api_protocol_create",
              op=Operation(summary="Add a protocol: for which incidents, what, and how fast", tag=TAG,
                           permission=EDIT, params=ClearinghousePath, body=ProtocolIn, response=ProtocolOut,
                           status=201, errors=(404, 409))),
    api_route(ONE, get, methods=["GET"], name="api_protocol", op=Operation(
        summary="One protocol", tag=TAG, permission=READ_NETWORK, params=ProtocolPath, response=ProtocolOut,
        errors=(404,))),
    api_route(ONE, update, methods=["PUT"], name="api_protocol_update", op=Operation(
        summary="Change a protocol", tag=TAG, permission=EDIT, params=ProtocolPath, body=ProtocolIn,
        response=ProtocolOut, errors=(404,))),
    api_route(ONE, delete, methods=["DELETE"], name="api_protocol_delete", op=Operation(
        summary="End a protocol", tag=TAG, permission=EDIT, params=ProtocolPath, response=ProtocolOut,
        errors=(404,))),
]
