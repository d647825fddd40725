"""The volunteer and donation forms: public ones while an incident is active, and a call-taker's compact ones.

Every form carries a one-time token whose nonce keys the submission (surge.kernel.idempotency), so a double
click, a reload or a replay makes one record and shows the same confirmation. Public posts are
rate-limited per address and CSRF-checked (read_form), and a honeypot field no person fills turns bots away.
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clearinghouse.taxonomy import DONATION_CATEGORIES, SKILLS
from surge.access.permissions import TAKE_INTAKE
from surge.access.principal import Principal, system
from surge.incidents import lifecycle
from surge.intake import donations, volunteers
from surge.intake.forms import DAYS, SHIFTS, DonationIn, VolunteerIn
from surge.intake.models import Source
from surge.kernel.errors import NotFound, ValidationFailed
from surge.kernel.i18n import N_, translate, translations
from surge.kernel.idempotency import run_once
from surge.kernel.validation import validate
from surge.web.infra import form_tokens
from surge.web.infra.auth import require
from surge.web.infra.idempotency_header import request_hash
from surge.web.infra.templating import language_of, render
from surge.web.infra.transaction import in_transaction
from surge.web.pages import incident_words
from surge.web.pages.forms import read_form
from surge.web.pages.intake_fields import ITEM_ROWS, donation_body, field_of, volunteer_body
from surge.web.pages.path_slugs import path_slug

log = logging.getLogger(__name__)
PUBLIC = system("public form")
HONEYPOT = "website"  # hidden from people by CSS and from assistive technology; bots fill every field
KINDS = {
    "volunteer": (VolunteerIn, volunteers.register, "intake/volunteer.html"),
    "donate": (DonationIn, donations.offer, "intake/donate.html"),
}


def _slug(request: Request) -> str:
    return path_slug(request)


def _context(request: Request, incident, kind: str, *, staff: bool, values=None, fields=None, message=None,
             token: str | None = None) -> dict:
    now = request.app.state.clock()
    words = incident_words.template_helpers(translations(language_of(request)).gettext)
    return {**words, "incident": incident, "kind": kind, "staff": staff, "values": values or {}, "fields": fields or {},
            "message": message, "skills": SKILLS, "categories": DONATION_CATEGORIES, "days": DAYS, "shifts": SHIFTS,
            "item_rows": range(ITEM_ROWS), "honeypot": HONEYPOT,
            "form_token": token or form_tokens.issue(request.app.state.settings, _purpose(incident.slug, kind), now),
            "action": (f"/ops/incidents/{incident.slug}/intake/{kind}" if staff
                       else f"/incidents/{incident.slug}/{kind}")}


def _purpose(slug: str, kind: str) -> str:
    return f"{kind}:{slug}"


async def _form_page(request: Request, kind: str, *, staff: bool) -> Response:
    if staff:
        require(request, TAKE_INTAKE)
    incident = await in_transaction(request, lifecycle.public, slug=_slug(request))
    return render(request, KINDS[kind][2], _context(request, incident, kind, staff=staff))


def _body(form, kind: str) -> tuple[dict, list[int]]:
    return (volunteer_body(form), []) if kind == "volunteer" else donation_body(form)


async def _submit(request: Request, kind: str, *, staff: bool) -> Response:
    form = await read_form(request)
    actor: Principal = require(request, TAKE_INTAKE) if staff else PUBLIC
    incident = await in_transaction(request, lifecycle.public, slug=_slug(request))
    if not staff and str(form.get(HONEYPOT, "")).strip():
        log.info("intake form honeypot filled; nothing stored")
        return render(request, "intake/thanks.html", {"incident": incident, "kind": kind, "answer": None})
    now = request.app.state.clock()
    token = str(form.get("form_token", ""))[:200]
    nonce = form_tokens.verify(request.app.state.settings, token, _purpose(incident.slug, kind), now)
    model, take, template = KINDS[kind]
    body, rows = _body(form, kind)
    language = language_of(request)
    source = Source.PHONE if staff else Source.WEB

    def work(session):
        data = validate(model, body)
        answer = take(session, incident_slug=incident.slug, data=data, source=source, actor=actor, now=now,
                      language=language)
        return 201, answer.model_dump(mode="json")

    try:
        _status, answer = await run_in_threadpool(
            run_once, request.app.state.engine, f"form:{kind}:{incident.slug}", nonce,
            request_hash("POST", request.url.path, body), work)
    except ValidationFailed as exc:
        fields = {}
        for location, text in exc.fields.items():
            fields.setdefault(field_of(location, rows), translate(language, text))
        values = {name: form.getlist(name) if len(form.getlist(name)) > 1 else str(form.get(name, ""))
                  for name in form.keys() if name not in ("csrf_token", "form_token")}
        return render(request, template, _context(request, incident, kind, staff=staff, values=values, fields=fields,
                                                  message=translate(language, exc.message, **exc.params),
                                                  token=token), status=422)
    return render(request, "intake/thanks.html", {"incident": incident, "kind": kind, "answer": answer,
                                                  "staff": staff}, status=200)


async def volunteer_page(request: Request) -> Response:
    return await _form_page(request, "volunteer", staff=False)


async def volunteer_submit(request: Request) -> Response:
    return await _submit(request, "volunteer", staff=False)


async def donate_page(request: Request) -> Response:
    return await _form_page(request, "donate", staff=False)


async def donate_submit(request: Request) -> Response:
    return await _submit(request, "donate", staff=False)


async def staff_page(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind not in KINDS:
        raise NotFound(N_("There is no such form."))
    return await _form_page(request, kind, staff=True)


async def staff_submit(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind not in KINDS:
        raise NotFound(N_("There is no such form."))
    return await _submit(request, kind, staff=True)


routes = [
    Route("/incidents/{slug}/volunteer", volunteer_page, methods=["GET"], name="volunteer_form"),
    Route("/incidents/{slug}/volunteer", volunteer_submit, methods=["POST"], name="volunteer_submit"),
    Route("/incidents/{slug}/donate", donate_page, methods=["GET"], name="donate_form"),
    Route("/incidents/{slug}/donate", donate_submit, methods=["POST"], name="donate_submit"),
    Route("/ops/incidents/{slug}/intake/{kind}", staff_page, methods=["GET"], name="intake_staff_form"),
    Route("/ops/incidents/{slug}/intake/{kind}", staff_submit, methods=["POST"], name="intake_staff_submit"),
]
