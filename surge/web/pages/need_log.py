"""The call-taker's page for logging needs: a few keystrokes a need, then an empty form and a running tally.

Each form carries a one-time token whose nonce keys the submission (surge.kernel.idempotency), so a
double submit logs one need.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import geo
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from surge.access.permissions import LOG_NEEDS
from surge.access.principal import Principal
from surge.access.roles import Role
from surge.centers.models import Center
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import translate
from surge.kernel.idempotency import run_once
from surge.kernel.validation import validate
from surge.needs import reports
from surge.needs.categories import CATEGORY_LABELS, UNMET_REASON_LABELS
from surge.needs.models import NeedReportIn
from surge.web.infra import form_tokens
from surge.web.infra.auth import require
from surge.web.infra.idempotency_header import request_hash
from surge.web.infra.templating import language_of, render
from surge.web.infra.transaction import in_transaction
from surge.web.pages.forms import read_form
from surge.web.pages.path_slugs import path_slug

FIELDS = ("zip", "county", "category", "met", "unmet_reason", "center")


def incident_slug(request: Request) -> str:
    return path_slug(request)


def county_choices(fips_codes: list[str]) -> list[tuple[str, str]]:
    choices = []
    for fips in fips_codes:
        try:
            found = geo.county(fips)
            choices.append((fips, f"{found.name}, {found.state}"))
        except geo.UnknownCode:
            choices.append((fips, fips))
    return sorted(choices, key=lambda pair: pair[1])


def center_choices(session: Session, actor: Principal) -> list[tuple[str, str]]:
    """Admins choose any active center; everyone else logs for their own."""
    if actor.role != Role.ADMIN:
        return []
    return [(row.slug, row.name) for row in session.exec(select(Center).where(Center.active).order_by(Center.name))]


def _start_of_day(now: datetime, zone: str) -> datetime:
    local = now.astimezone(ZoneInfo(zone))
    return datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)


def _page_data(session: Session, *, slug: str, actor: Principal, now: datetime) -> dict:
    incident = reports.open_incident(session, slug)
    tally = None
    if actor.is_person:
        tally = reports.tally(session, incident_slug=slug, user_id=actor.id,
                              since=_start_of_day(now, incident.timezone))
    return {"incident": incident, "counties": county_choices(incident.counties),
            "centers": center_choices(session, actor), "tally": tally}


def _purpose(slug: str) -> str:
    return f"need-report:{slug}"


def _show(request: Request, data: dict, *, values=None, fields=None, message=None, logged=None, token=None,
          status: int = 200) -> Response:
    language = language_of(request)
    now = request.app.state.clock()
    return render(request, "needs/log.html", {
        **data, "values": values or {}, "fields": fields or {}, "message": message, "logged": logged,
        "logged_county": county_choices([logged["county_fips"]])[0][1] if logged else None,
        "categories": [(code, translate(language, label)) for code, label in CATEGORY_LABELS.items()],
        "reasons": [(code, translate(language, label)) for code, label in UNMET_REASON_LABELS.items()],
        "form_token": token or form_tokens.issue(request.app.state.settings, _purpose(data["incident"].slug), now),
    }, status=status)


def form_body(form: FormData) -> dict:
    """The API's body from the flat form: one place (ZIP code or county), and a reason only when unmet."""
    value = {name: str(form.get(name, "")).strip()[:64] for name in FIELDS}
    body: dict = {"category": value["category"] or None}
    if value["county"] and not value["zip"]:
        body["county"] = value["county"]
    else:
        body["zip"] = value["zip"] or None
        if value["county"]:
            body["county"] = value["county"]  # both given: the model refuses, and says so
    body["met"] = {"met": True, "unmet": False}.get(value["met"])
    if body["met"] is False and value["unmet_reason"]:
        body["unmet_reason"] = value["unmet_reason"]
    if value["center"]:
        body["center"] = value["center"]
    return body


async def log_page(request: Request) -> Response:
    user = require(request, LOG_NEEDS)
    data = await in_transaction(request, _page_data, slug=incident_slug(request), actor=user,
                                now=request.app.state.clock())
    return _show(request, data)


async def log_submit(request: Request) -> Response:
    form = await read_form(request)
    user = require(request, LOG_NEEDS)
    slug = incident_slug(request)
    now = request.app.state.clock()
    token = str(form.get("form_token", ""))[:200]
    nonce = form_tokens.verify(request.app.state.settings, token, _purpose(slug), now)
    body = form_body(form)
    language = language_of(request)

    def work(session):
        data = validate(NeedReportIn, body)
        return 201, reports.log_need(session, incident_slug=slug, data=data, actor=user,
                                     now=now).model_dump(mode="json")

    try:
        _status, answer = await run_in_threadpool(run_once, request.app.state.engine, f"form:need-report:{slug}",
                                                  nonce, request_hash("POST", request.url.path, body), work)
    except ValidationFailed as exc:
        data = await in_transaction(request, _page_data, slug=slug, actor=user, now=now)
        fields = {}
        for location, text in exc.fields.items():
            name = location if location in FIELDS else ("zip" if location == "body" else "form")
            fields.setdefault(name, translate(language, text))
        values = {name: str(form.get(name, ""))[:64] for name in FIELDS}
        return _show(request, data, values=values, fields=fields, token=token, status=422,
                     message=translate(language, exc.message, **exc.params))
    data = await in_transaction(request, _page_data, slug=slug, actor=user, now=now)
    center_values = {"center": str(form.get("center", ""))[:64]} if data["centers"] else {}
    return _show(request, data, values=center_values, logged=answer)


routes = [
    Route("/ops/incidents/{slug}/need-reports/log", log_page, methods=["GET"], name="need_log"),
    Route("/ops/incidents/{slug}/need-reports/log", log_submit, methods=["POST"], name="need_log_submit"),
]
