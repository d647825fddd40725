"""Incidents over HTTP: drafts, their area, activation and stand-down."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from surge.access import permissions
from surge.briefs import activation
from surge.centers.permissions import READ_NETWORK
from surge.incidents import areas, lifecycle, preview, views
from surge.incidents.linkage_models import IncidentDetailOut
from surge.incidents.models import IncidentFields, IncidentIn, IncidentListOut, IncidentOut, ReasonIn, Status
from surge.kernel.i18n import N_
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.geometry_workers import CLIENT_GONE, run_for_client
from surge.web.infra.transaction import in_transaction


class IncidentPath(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {"slug": N_("Use lower-case letters, digits and hyphens only.")}

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")


class IncidentListQuery(BaseModel):
    status: Status | None = Field(default=None, description="only incidents in this state")


async def resolve_area(request: Request, data: IncidentFields, actor):
    """The area's polygon and counties: a drawn area in a geometry worker, counties or ZIP codes in a thread."""
    permissions.require(actor, permissions.MANAGE_INCIDENTS)  # before any geometry is worked out
    if data.area.fema_declaration is not None:
        return await in_transaction(request, areas.resolve_declaration, area=data.area, actor=actor)
    if data.area.geojson is not None or data.area.cap is not None:
        return await run_for_client(request, areas.resolve, data.area, actor=actor)
    return await run_in_threadpool(areas.resolve, data.area, actor=actor)


async def create(request: Request, call: Call) -> IncidentOut | Response:
    resolved = await resolve_area(request, call.body, call.principal)
    if resolved is CLIENT_GONE:
        return Response(status_code=499)
    area, counties = resolved
    return await in_transaction(request, lifecycle.create, data=call.body, area=area, counties=counties,
                                actor=call.principal)


async def update(request: Request, call: Call) -> IncidentOut | Response:
    resolved = await resolve_area(request, call.body, call.principal)
    if resolved is CLIENT_GONE:
        return Response(status_code=499)
    area, counties = resolved
    return await in_transaction(request, lifecycle.update, slug=call.params.slug, data=call.body, area=area,
                                counties=counties, actor=call.principal)


async def list_incidents(request: Request, call: Call) -> IncidentListOut:
    found = await in_transaction(request, lifecycle.list_incidents, actor=call.principal, status=call.params.status)
    return IncidentListOut(incidents=found)


async def get(request: Request, call: Call) -> IncidentDetailOut:
    return await in_transaction(request, views.detail, slug=call.params.slug, actor=call.principal)


async def preview_activation(request: Request, call: Call) -> preview.PreviewOut | Response:
    resolved = await resolve_area(request, call.body, call.principal)  # the area exactly as a new incident's
    if resolved is CLIENT_GONE:
        return Response(status_code=499)
    area, counties = resolved
    return await in_transaction(request, preview.preview, data=call.body, area=area, counties=counties,
                                actor=call.principal, now=request.app.state.clock())


async def _move(request: Request, call: Call, step) -> IncidentOut:
    answer = await in_transaction(request, step, slug=call.params.slug, reason=call.body.reason,
                                  actor=call.principal, now=request.app.state.clock())
    request.app.state.network.invalidate()  # disaster-only agreements change with activation, at once
    return answer


async def activate(request: Request, call: Call) -> IncidentOut:
    return await _move(request, call, activation.activate)


async def stand_down(request: Request, call: Call) -> IncidentOut:
    return await _move(request, call, lifecycle.stand_down)


TAG = "incidents"
MANAGE = permissions.MANAGE_INCIDENTS
routes = [
    api_route("/api/v1/incidents", list_incidents, methods=["GET"], name="api_incidents", op=Operation(
        summary="Incidents, newest first", tag=TAG, permission=READ_NETWORK, params=IncidentListQuery,
        response=IncidentListOut)),
    api_route("/api/v1/incidents", create, methods=["POST"], name="api_incident_create", op=Operation(
        summary="Draft an incident with its area (counties, ZIP codes, GeoJSON, a CAP alert or a FEMA declaration)",
        tag=TAG, permission=MANAGE, body=IncidentIn, response=IncidentOut, status=201, errors=(404, 409, 503))),
    api_route("/api/v1/incidents/preview", preview_activation, methods=["POST"], name="api_incident_preview",
              op=Operation(summary="What activating such an incident would bring in (nothing is stored)", tag=TAG,
                           permission=MANAGE, body=preview.PreviewIn, response=preview.PreviewOut,
                           errors=(404, 503))),
    api_route("/api/v1/incidents/{slug}", get, methods=["GET"], name="api_incident", op=Operation(
        summary="One incident, with its area's polygon and counties and its clearinghouse linkages", tag=TAG,
        permission=READ_NETWORK, params=IncidentPath, response=IncidentDetailOut, errors=(404,))),
    api_route("/api/v1/incidents/{slug}", update, methods=["PUT"], name="api_incident_update", op=Operation(
        summary="Change an incident", tag=TAG, permission=MANAGE, params=IncidentPath, body=IncidentFields,
        response=IncidentOut, errors=(404, 409, 503))),
    api_route("/api/v1/incidents/{slug}/activate", activate, methods=["POST"], name="api_incident_activate",
              op=Operation(summary="Activate disaster mode for the incident (again: no change)", tag=TAG,
                           permission=MANAGE, params=IncidentPath, body=ReasonIn, response=IncidentOut,
                           errors=(404, 409))),
    api_route("/api/v1/incidents/{slug}/stand-down", stand_down, methods=["POST"], name="api_incident_stand_down",
              op=Operation(summary="Stand down: active to demobilizing, demobilizing to closed", tag=TAG,
                           permission=MANAGE, params=IncidentPath, body=ReasonIn, response=IncidentOut,
                           errors=(404, 409))),
]
