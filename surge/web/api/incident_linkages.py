"""An incident's clearinghouses over HTTP: linking them by hand, and their needs lists."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, Field
from starlette.requests import Request

from clearinghouse.needs_models import NeedsIn, NeedsOut
from surge.access import permissions
from surge.access.roles import Role
from surge.centers.permissions import READ_NETWORK
from surge.incidents import linkages, needs_lists
from surge.incidents.linkage_models import LinkageIn, LinkageOut
from surge.kernel.i18n import N_
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.transaction import in_transaction

SLUG = r"^[a-z0-9][a-z0-9-]{0,62}$"


class IncidentPath(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {"slug": N_("Use lower-case letters, digits and hyphens only.")}

    slug: str = Field(pattern=SLUG)


class LinkPath(IncidentPath):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "slug": N_("Use lower-case letters, digits and hyphens only."),
        "clearinghouse": N_("Use lower-case letters, digits and hyphens only."),
    }

    clearinghouse: str = Field(pattern=SLUG)


async def set_linkage(request: Request, call: Call) -> LinkageOut:
    return await in_transaction(request, linkages.set_state, incident_slug=call.params.slug,
                                clearinghouse_slug=call.params.clearinghouse, data=call.body, actor=call.principal,
                                now=request.app.state.clock())


async def get_needs(request: Request, call: Call) -> NeedsOut:
    return await in_transaction(request, needs_lists.get_list, incident_slug=call.params.slug,
                                clearinghouse_slug=call.params.clearinghouse, actor=call.principal)


async def put_needs(request: Request, call: Call) -> NeedsOut:
    return await in_transaction(request, needs_lists.put_list, incident_slug=call.params.slug,
                                clearinghouse_slug=call.params.clearinghouse, data=call.body, actor=call.principal,
                                now=request.app.state.clock())


async def all_needs(request: Request, call: Call) -> needs_lists.PublicNeedsOut:
    return await in_transaction(request, needs_lists.public_needs, incident_slug=call.params.slug)


TAG = "incidents"
# Emergency managers change any list; a clearinghouse's coordinator or token only its own (checked by the domain).
EDIT_NEEDS = permissions.MANAGE_INCIDENTS | {Role.CLEARINGHOUSE}
routes = [
    api_route("/api/v1/incidents/{slug}/linkages/{clearinghouse}", set_linkage, methods=["PUT"],
              name="api_incident_linkage", op=Operation(
                  summary="Link, pause or unlink a clearinghouse by hand (with a reason)", tag=TAG,
                  permission=permissions.MANAGE_INCIDENTS, params=LinkPath, body=LinkageIn, response=LinkageOut,
                  errors=(404, 409))),
    api_route("/api/v1/incidents/{slug}/needs", all_needs, methods=["GET"], name="api_incident_needs",
              op=Operation(summary="What the incident's linked clearinghouses need now, do not need, or are full of",
                           tag=TAG, permission=READ_NETWORK, params=IncidentPath,
                           response=needs_lists.PublicNeedsOut, errors=(404,))),
    api_route("/api/v1/incidents/{slug}/needs/{clearinghouse}", get_needs, methods=["GET"],
              name="api_incident_needs_list", op=Operation(
                  summary="One clearinghouse's needs list for the incident", tag=TAG, permission=READ_NETWORK,
                  params=LinkPath, response=NeedsOut, errors=(404,))),
    api_route("/api/v1/incidents/{slug}/needs/{clearinghouse}", put_needs, methods=["PUT"],
              name="api_incident_needs_list_update", op=Operation(
                  summary="Replace a linked clearinghouse's needs list (its coordinator: their own)", tag=TAG,
                  permission=EDIT_NEEDS, params=LinkPath, body=NeedsIn, response=NeedsOut, errors=(404, 409))),
]
