"""The clearinghouse portal: its referrals by state, answered one at a time or in bulk, a CSV export, and its
capacity. A coordinator sees only their own clearinghouse's referrals; any other is a 404."""

from __future__ import annotations

import csv
import io

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from clearinghouse import registry
from clearinghouse.models import CapacityIn
from surge.access.roles import Role
from surge.intake import referrals
from surge.intake.referral_states import Action, allowed
from surge.kernel.errors import ApiError, Forbidden, ValidationFailed
from surge.kernel.i18n import N_, translate, translations
from surge.kernel.validation import validate
from surge.web.infra.auth import require
from surge.web.infra.templating import language_of, render
from surge.web.infra.transaction import in_transaction
from surge.web.pages import incident_words
from surge.web.pages.forms import read_form
from surge.web.pages.path_slugs import path_number, whole_number

STATES = ("sent", "acknowledged", "accepted", "declined", "fulfilled", "released")
PAGE = 200
MAX_BULK = 200
NO_REFERRAL = N_("There is no referral %(id)s.")
CSV_ROWS = 10_000
CSV_COLUMNS = ("id", "incident", "kind", "code", "state", "sent_at", "ack_due_at", "accepted_at", "fulfilled_at",
               "county", "zip", "skills", "description", "quantity", "unit", "availability")
# A cell a spreadsheet would run as a formula starts with one of these: prefix it so it stays text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _coordinator(request: Request):
    user = require(request)
    if user.role != Role.CLEARINGHOUSE or not user.clearinghouse_slug:
        raise Forbidden(N_("The portal is for clearinghouse coordinators."))
    return user


def _state(request: Request) -> str:
    state = request.query_params.get("state", "sent")
    return state if state in STATES else "sent"


async def inbox(request: Request) -> Response:
    user = _coordinator(request)
    state = _state(request)
    found = await in_transaction(request, referrals.page, actor=user, state=state, limit=PAGE)
    words = incident_words.template_helpers(translations(language_of(request)).gettext)
    return render(request, "portal/inbox.html", {
        **words, "state": state, "states": STATES, "page": found, "actions": {r.id: allowed(r.state) for r in found.items},
        "done": request.query_params.get("done", "")[:20]})


async def detail(request: Request) -> Response:
    user = _coordinator(request)
    referral_id = path_number(request, missing=NO_REFERRAL)
    found = await in_transaction(request, referrals.get, referral_id=referral_id, actor=user)  # audits a contact view
    words = incident_words.template_helpers(translations(language_of(request)).gettext)
    return render(request, "portal/referral.html", {**words, "referral": found, "actions": allowed(found.state)})


async def answer(request: Request) -> Response:
    """One action on one or many referrals; each goes on its own, so one refusal leaves the others done."""
    form = await read_form(request)
    user = _coordinator(request)
    try:
        action = Action(str(form.get("action", "")))
    except ValueError:
        raise ValidationFailed(N_("Choose what to do with the referrals.")) from None
    ids = [whole_number(str(value), missing=NO_REFERRAL) for value in form.getlist("referral")[:MAX_BULK]]
    if not ids:
        raise ValidationFailed(N_("Choose at least one referral."))
    reason = str(form.get("reason", "")).strip()[:500]
    why = str(form.get("why", "")).strip() or None
    refused = 0
    for referral_id in ids:
        try:
            await in_transaction(request, referrals.act, referral_id=referral_id, action=action, actor=user,
                                 now=request.app.state.clock(), reason=reason, why=why)
        except ApiError:
            refused += 1
    back = str(form.get("back", "sent"))
    state = back if back in STATES else "sent"
    return RedirectResponse(f"/portal/referrals?state={state}&done={'partly' if refused else 'done'}", status_code=303)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


async def export(request: Request) -> Response:
    user = _coordinator(request)
    state = request.query_params.get("state")
    found = await in_transaction(request, referrals.page, actor=user, state=state if state in STATES else None,
                                 limit=CSV_ROWS)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in found.items:
        summary = r.summary
        writer.writerow([_cell(v) for v in (
            r.id, r.incident, r.kind, r.code, r.state, r.sent_at.isoformat(),
            r.ack_due_at.isoformat() if r.ack_due_at else "", r.accepted_at.isoformat() if r.accepted_at else "",
            r.fulfilled_at.isoformat() if r.fulfilled_at else "", summary.get("county"), summary.get("zip"),
            " ".join(summary.get("skills") or [summary.get("category") or ""]), summary.get("description"),
            summary.get("quantity"), summary.get("unit"), summary.get("availability") or "")])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="referrals-{user.clearinghouse_slug}.csv"'})


async def capacity_page(request: Request) -> Response:
    user = _coordinator(request)
    found = await in_transaction(request, registry.get, slug=user.clearinghouse_slug)
    return render(request, "portal/capacity.html", {"clearinghouse": found, "message": None, "fields": {},
                                                    "saved": request.query_params.get("saved") == "1"})


async def capacity_submit(request: Request) -> Response:
    form = await read_form(request)
    user = _coordinator(request)
    found = await in_transaction(request, registry.get, slug=user.clearinghouse_slug)
    capacity = {}
    for name in ("volunteers_per_day", "offers_per_day"):
        text = str(form.get(name, "")).strip()[:12]
        if text:
            capacity[name] = text
    try:
        data = validate(CapacityIn, {"capacity": capacity})
        await in_transaction(request, registry.update_capacity, slug=user.clearinghouse_slug, data=data,
                             actor=user.actor)
    except ValidationFailed as exc:
        language = language_of(request)
        return render(request, "portal/capacity.html", {
            "clearinghouse": found, "message": translate(language, exc.message, **exc.params),
            "fields": {k.split(".")[-1]: translate(language, v) for k, v in exc.fields.items()}, "saved": False},
            status=422)
    return RedirectResponse("/portal/capacity?saved=1", status_code=303)


async def portal_home(request: Request) -> Response:
    _coordinator(request)
    return RedirectResponse("/portal/referrals?state=sent", status_code=303)


routes = [
    Route("/portal", portal_home, methods=["GET"], name="portal"),
    Route("/portal/referrals", inbox, methods=["GET"], name="portal_inbox"),
    Route("/portal/referrals", answer, methods=["POST"], name="portal_answer"),
    Route("/portal/referrals.csv", export, methods=["GET"], name="portal_export"),
    Route("/portal/referrals/{id}", detail, methods=["GET"], name="portal_referral"),
    Route("/portal/capacity", capacity_page, methods=["GET"], name="portal_capacity"),
    Route("/portal/capacity", capacity_submit, methods=["POST"], name="portal_capacity_submit"),
]
