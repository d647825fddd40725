"""A clearinghouse's needs list for one incident, edited on a page: one row per thing it accepts."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from clearinghouse import registry
from clearinghouse.needs_models import NeedsIn, NeedStatus
from surge.access.principal import Principal
from surge.centers.permissions import READ_NETWORK
from surge.incidents import lifecycle, needs_lists
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import translate, translations
from surge.kernel.validation import validate
from surge.web.infra.auth import require
from surge.web.infra.templating import language_of, render
from surge.web.infra.transaction import in_transaction
from surge.web.pages import incident_words
from surge.web.pages.forms import read_form
from surge.web.pages.path_slugs import NO_INCIDENT, path_slug

MAX_NOTE = 500


def _slugs(request: Request) -> tuple[str, str]:
    slug = path_slug(request)
    return slug, path_slug(request, "clearinghouse", missing=NO_INCIDENT)


def _editing(session: Session, *, slug: str, clearinghouse: str, actor: Principal) -> dict:
    needs_lists.require_may_change(actor, clearinghouse)
    incident = lifecycle.get(session, slug=slug, actor=actor)
    current = needs_lists.get_list(session, incident_slug=slug, clearinghouse_slug=clearinghouse, actor=actor)
    found = registry.find(session, clearinghouse)
    accepted = [*found.accepts.get("skills", []), *found.accepts.get("donation_categories", [])]
    listed = {item.code: item for item in current.items}
    return {"incident": incident, "clearinghouse": found,
            "codes": list(dict.fromkeys([*accepted, *listed])), "listed": listed}


def _page(request: Request, context: dict, *, values: dict | None = None, message: str | None = None,
          status: int = 200) -> Response:
    if values is None:
        values = {code: {"status": item.status, "quantity": "" if item.quantity is None else str(item.quantity),
                         "note": item.note} for code, item in context["listed"].items()}
    words = incident_words.template_helpers(translations(language_of(request)).gettext)
    return render(request, "incidents/needs.html", {**context, **words, "values": values, "message": message,
                                                    "statuses": [s.value for s in NeedStatus]}, status=status)


async def needs_page(request: Request) -> Response:
    user = require(request, READ_NETWORK)
    slug, clearinghouse = _slugs(request)
    context = await in_transaction(request, _editing, slug=slug, clearinghouse=clearinghouse, actor=user)
    return _page(request, context)


async def needs_submit(request: Request) -> Response:
    form = await read_form(request)
    user = require(request, READ_NETWORK)
    slug, clearinghouse = _slugs(request)
    context = await in_transaction(request, _editing, slug=slug, clearinghouse=clearinghouse, actor=user)
    values = {code: {"status": str(form.get(f"status-{code}", ""))[:20],
                     "quantity": str(form.get(f"quantity-{code}", "")).strip()[:12],
                     "note": str(form.get(f"note-{code}", "")).strip()[:MAX_NOTE + 1]} for code in context["codes"]}
    items = [{"code": code, "status": v["status"], "note": v["note"], **({"quantity": v["quantity"]} if v["quantity"] else {})}
             for code, v in values.items() if v["status"]]
    try:
        data = validate(NeedsIn, {"items": items})
        await in_transaction(request, needs_lists.put_list, incident_slug=slug, clearinghouse_slug=clearinghouse,
                             data=data, actor=user, now=request.app.state.clock())
    except ValidationFailed as exc:
        return _page(request, context, values=values, status=422,
                     message=translate(language_of(request), exc.message, **exc.params))
    return RedirectResponse(f"/ops/incidents/{slug}?done=needs#needs-heading", status_code=303)


routes = [
    Route("/ops/incidents/{slug}/needs/{clearinghouse}", needs_page, methods=["GET"], name="needs_list"),
    Route("/ops/incidents/{slug}/needs/{clearinghouse}", needs_submit, methods=["POST"], name="needs_list_submit"),
]
