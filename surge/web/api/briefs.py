"""Situation briefs over HTTP: the schedule, the narrative, briefs on demand, and briefs as stored."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from surge.access.principal import Principal
from surge.briefs import approval, narrative, production, runs, schedules, views
from surge.briefs.access import READ_BRIEFS
from surge.briefs.narrative import WRITE_NARRATIVE
from surge.briefs.schemas import (BriefCreatedOut, BriefListOut, BriefOut, NarrativeIn, NarrativeOut, ScheduleIn,
                                  ScheduleOut)
from surge.kernel.i18n import N_
from surge.web.api.incidents import IncidentPath
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.templating import language_of
from surge.web.infra.transaction import in_transaction


class BriefPath(IncidentPath):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {**IncidentPath.FIELD_MESSAGES,
                                                "number": N_("Give the brief's number, a whole number from 1.")}

    number: int = Field(ge=1, le=2**31 - 1)


def thresholds(request: Request) -> production.Thresholds:
    settings = request.app.state.settings
    return production.Thresholds(short_abandon_s=settings.short_abandon_s, service_level_s=settings.service_level_s,
                                 public_url=settings.public_url)


async def get_schedule(request: Request, call: Call) -> ScheduleOut:
    return await in_transaction(request, schedules.get, slug=call.params.slug, actor=call.principal,
                                now=request.app.state.clock())


async def put_schedule(request: Request, call: Call) -> ScheduleOut:
    return await in_transaction(request, schedules.put, slug=call.params.slug, data=call.body, actor=call.principal,
                                now=request.app.state.clock())


async def get_narrative(request: Request, call: Call) -> NarrativeOut:
    return await in_transaction(request, narrative.get, slug=call.params.slug, actor=call.principal)


async def put_narrative(request: Request, call: Call) -> NarrativeOut:
    return await in_transaction(request, narrative.put, slug=call.params.slug, data=call.body, actor=call.principal,
                                now=request.app.state.clock())


async def make_brief(request: Request, call: Call) -> BriefCreatedOut:
    return await make_and_send(request, slug=call.params.slug, actor=call.principal)


async def make_and_send(request: Request, *, slug: str, actor: Principal) -> BriefCreatedOut:
    """Make a brief now, then send it to its subscribers after the transaction that made it (see
    `runs.distribute_new`): the API's and the archive page's way alike."""
    made = await in_transaction(request, production.produce_on_demand, slug=slug, actor=actor,
                                now=request.app.state.clock(), thresholds=thresholds(request))
    await run_in_threadpool(runs.distribute_new, request.app.state.engine, slug=made.incident, number=made.number,
                            now=request.app.state.clock(), public_url=request.app.state.settings.public_url)
    return made


async def list_briefs(request: Request, call: Call) -> BriefListOut:
    return await in_transaction(request, views.list_briefs, slug=call.params.slug, actor=call.principal)


async def get_brief(request: Request, call: Call) -> BriefOut:
    return await in_transaction(request, views.get_brief, slug=call.params.slug, number=call.params.number,
                                actor=call.principal, now=request.app.state.clock())


async def approve_brief(request: Request, call: Call) -> BriefOut:
    return await in_transaction(request, approval.approve, slug=call.params.slug, number=call.params.number,
                                actor=call.principal, now=request.app.state.clock())


def _inline(name: str) -> dict[str, str]:
    return {"content-disposition": f'inline; filename="{name}"'}


async def get_brief_html(request: Request, call: Call) -> Response:
    name, page = await in_transaction(request, views.brief_html, slug=call.params.slug, number=call.params.number,
                                      actor=call.principal, language=language_of(request),
                                      now=request.app.state.clock())
    return HTMLResponse(page, headers=_inline(name))


async def get_brief_pdf(request: Request, call: Call) -> Response:
    name, data = await in_transaction(request, views.brief_pdf, slug=call.params.slug, number=call.params.number,
                                      actor=call.principal, language=language_of(request),
                                      now=request.app.state.clock())
    return Response(data, media_type="application/pdf", headers=_inline(name))


TAG = "briefs"
BASE = "/api/v1/incidents/{slug}"
routes = [
    api_route(f"{BASE}/brief-schedule", get_schedule, methods=["GET"], name="api_brief_schedule", op=Operation(
        summary="The incident's brief schedule and when the next brief is due", tag=TAG, permission=READ_BRIEFS,
        params=IncidentPath, response=ScheduleOut, errors=(404,))),
    api_route(f"{BASE}/brief-schedule", put_schedule, methods=["PUT"], name="api_brief_schedule_update",
              op=Operation(summary="Set the brief schedule: fixed periods from a local start, or a cron expression",
                           tag=TAG, permission=schedules.CHANGE_SCHEDULE, params=IncidentPath, body=ScheduleIn,
                           response=ScheduleOut, errors=(404,))),
    api_route(f"{BASE}/narrative", get_narrative, methods=["GET"], name="api_brief_narrative", op=Operation(
        summary="The incident's narrative as the next brief will carry it", tag=TAG, permission=READ_BRIEFS,
        params=IncidentPath, response=NarrativeOut, errors=(404,))),
    api_route(f"{BASE}/narrative", put_narrative, methods=["PUT"], name="api_brief_narrative_update",
              op=Operation(summary="Write the narrative: situation, actions, rumor control, next steps (plain text)",
                           tag=TAG, permission=WRITE_NARRATIVE, params=IncidentPath, body=NarrativeIn,
                           response=NarrativeOut, errors=(404,))),
    api_route(f"{BASE}/briefs", make_brief, methods=["POST"], name="api_brief_create", op=Operation(
        summary="Produce a brief now, for the operational period so far", tag=TAG, permission=READ_BRIEFS,
        params=IncidentPath, response=BriefCreatedOut, status=201, errors=(404, 409))),
    api_route(f"{BASE}/briefs", list_briefs, methods=["GET"], name="api_briefs", op=Operation(
        summary="The incident's briefs, newest first", tag=TAG, permission=READ_BRIEFS, params=IncidentPath,
        response=BriefListOut, errors=(404,))),
    api_route(f"{BASE}/briefs/{{number}}.json", get_brief, methods=["GET"], name="api_brief", op=Operation(
        summary="One brief: every figure, the narrative as it stood, and its header", tag=TAG,
        permission=READ_BRIEFS, params=BriefPath, response=BriefOut, errors=(404,))),
    api_route(f"{BASE}/briefs/{{number}}/approve", approve_brief, methods=["POST"], name="api_brief_approve",
              op=Operation(summary="Approve a brief: its header then names who approved it (once; audited)", tag=TAG,
                           permission=approval.APPROVE_BRIEFS, params=BriefPath, response=BriefOut,
                           errors=(404, 409))),
    api_route(f"{BASE}/briefs/{{number}}.html", get_brief_html, methods=["GET"], name="api_brief_html", op=Operation(
        summary="One brief as an HTML page, from the stored figures and narrative (?lang=es for Spanish)", tag=TAG,
        permission=READ_BRIEFS, params=BriefPath, response=BriefOut, media_type="text/html", errors=(404,))),
    api_route(f"{BASE}/briefs/{{number}}.pdf", get_brief_pdf, methods=["GET"], name="api_brief_pdf", op=Operation(
        summary="One brief as a printable PDF (US Letter), from the stored figures and narrative", tag=TAG,
        permission=READ_BRIEFS, params=BriefPath, response=BriefOut, media_type="application/pdf", errors=(404,))),
]
