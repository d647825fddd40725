"""Staff pages for incidents: the list, the activation page (choose an area, preview, activate) and an
incident's dashboard with its linkages."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from geo.states import STATES
from surge.access import permissions
from surge.access.principal import Principal
from surge.briefs import activation
from surge.centers.permissions import READ_NETWORK
from surge.incidents import lifecycle
from surge.incidents.linkage_models import LinkageIn
from surge.incidents.models import IncidentType, Status
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_, translate, translations
from surge.kernel.validation import validate
from surge.web.api.incidents import resolve_area
from surge.web.infra.auth import require
from surge.web.infra.geometry_workers import CLIENT_GONE
from surge.web.infra.templating import language_of, render
from surge.web.infra.transaction import in_transaction
from surge.web.pages import incident_views, incident_words
from surge.web.pages.area_map import area_map
from surge.web.pages.forms import read_form
from surge.web.pages.incident_form import FormValues, incident_in, read_values
from surge.web.pages.path_slugs import path_slug

MANAGE = permissions.MANAGE_INCIDENTS
STATES_BY_CODE = {state.code: state for state in STATES.values()}


def _slug(request: Request) -> str:
    return path_slug(request)


def _words(request: Request) -> dict:
    return incident_words.template_helpers(translations(language_of(request)).gettext)


def _may_manage(user: Principal) -> bool:
    return user.role in MANAGE


async def list_page(request: Request) -> Response:
    user = require(request, READ_NETWORK)
    incidents = await in_transaction(request, lifecycle.list_incidents, actor=user)
    return render(request, "incidents/index.html", {"incidents": incidents, "may_manage": _may_manage(user),
                                                        **_words(request)})


def _state_fips(code: str) -> tuple[str, ...]:
    state = STATES_BY_CODE.get(code.upper())
    return (state.fips,) if state else ()


def _new_form(request: Request, values: FormValues, *, preview=None, fields=None, message=None,
              status: int = 200) -> Response:
    state = values.get("state") or ""
    picker = area_map(values["counties"], states=_state_fips(state)) if state or values["counties"] else None
    shown = area_map(preview.found.counties) if preview else None
    return render(request, "incidents/new.html", {
        "values": values, "types": list(IncidentType), "states": sorted(STATES_BY_CODE.values(), key=lambda s: s.name),
        "picker": picker, "preview": preview, "preview_map": shown, "fields": fields or {}, "message": message,
        **_words(request)},
        status=status)


async def new_page(request: Request) -> Response:
    require(request, MANAGE)
    state = request.query_params.get("state", "")[:2]
    values = dict(name="", slug="", type="Hurricane", level="1", timezone="America/Chicago",
                        operational_period_hours="12", period_start="06:00", reason="",
                        state=state if state.upper() in STATES_BY_CODE else "", exercise=False, counties=[],
                        area_document="")
    return _new_form(request, values)


async def new_submit(request: Request) -> Response:
    form = await read_form(request)
    user = require(request, MANAGE)
    action = str(form.get("action", "preview"))
    language = language_of(request)
    values = dict(state="", counties=[], area_document="", exercise=False)
    try:
        values = await read_values(form)
        if action == "state":  # "show this state's counties": only redraw the picker
            return _new_form(request, values)
        data = incident_in(values)
        resolved = await resolve_area(request, data, user)
        if resolved is CLIENT_GONE:
            return Response(status_code=499)
        polygon, counties = resolved
        if action == "preview":
            preview = await in_transaction(request, incident_views.preview, data=data, area=polygon,
                                           counties=counties, actor=user, now=request.app.state.clock())
            return _new_form(request, values, preview=preview)
        await in_transaction(request, lifecycle.create, data=data, area=polygon, counties=counties, actor=user)
        if action == "activate":
            await in_transaction(request, activation.activate, slug=data.slug, actor=user, now=request.app.state.clock(),
                                 reason=values["reason"] or translate(language, N_("Activated from the activation page.")))
            request.app.state.network.invalidate()
    except ValidationFailed as exc:
        fields = {name.split(".")[0]: translate(language, text) for name, text in exc.fields.items()}
        return _new_form(request, values, fields=fields, status=422,
                         message=translate(language, exc.message, **exc.params))
    done = "?done=activated" if action == "activate" else ""
    return RedirectResponse(f"/ops/incidents/{data.slug}{done}", status_code=303)


async def dashboard_page(request: Request) -> Response:
    user = require(request, READ_NETWORK)
    slug = _slug(request)
    view = await in_transaction(request, incident_views.dashboard, slug=slug, actor=user)
    area = await run_in_threadpool(area_map, view.incident.counties)
    return render(request, "incidents/dashboard.html", {
        "view": view, "incident": view.incident, "area": area, "may_manage": _may_manage(user),
        "Status": Status, "done": request.query_params.get("done", "")[:20], **_words(request)})


async def _reasoned_step(request: Request, step, done: str) -> Response:
    form = await read_form(request)
    user = require(request, MANAGE)
    slug = _slug(request)
    reason = str(form.get("reason", "")).strip()[:500]
    await in_transaction(request, step, slug=slug, reason=reason, actor=user, now=request.app.state.clock())
    request.app.state.network.invalidate()
    return RedirectResponse(f"/ops/incidents/{slug}?done={done}", status_code=303)


async def activate_submit(request: Request) -> Response:
    return await _reasoned_step(request, activation.activate, "activated")


async def stand_down_submit(request: Request) -> Response:
    return await _reasoned_step(request, lifecycle.stand_down, "stood-down")


async def linkage_submit(request: Request) -> Response:
    form = await read_form(request)
    user = require(request, MANAGE)
    slug = _slug(request)
    clearinghouse = str(form.get("clearinghouse", ""))[:63]
    try:
        data = validate(LinkageIn, {"state": str(form.get("state", ""))[:20],
                                    "reason": str(form.get("reason", "")).strip()[:2000]})
        await in_transaction(request, incident_views.set_linkage, incident_slug=slug, clearinghouse_slug=clearinghouse,
                             data=data, actor=user, now=request.app.state.clock())
    except ValidationFailed:
        return RedirectResponse(f"/ops/incidents/{slug}?done=linkage-reason#linkages-heading", status_code=303)
    return RedirectResponse(f"/ops/incidents/{slug}?done=linkage#linkages-heading", status_code=303)


routes = [
    Route("/ops/incidents", list_page, methods=["GET"], name="incidents"),
    Route("/ops/incidents/new", new_page, methods=["GET"], name="incident_new"),
    Route("/ops/incidents/new", new_submit, methods=["POST"], name="incident_new_submit"),
    Route("/ops/incidents/{slug}", dashboard_page, methods=["GET"], name="incident_dashboard"),
    Route("/ops/incidents/{slug}/activate", activate_submit, methods=["POST"], name="incident_activate"),
    Route("/ops/incidents/{slug}/stand-down", stand_down_submit, methods=["POST"], name="incident_stand_down"),
    Route("/ops/incidents/{slug}/linkages", linkage_submit, methods=["POST"], name="incident_linkage"),
]
