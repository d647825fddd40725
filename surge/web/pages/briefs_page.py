"""An incident's brief archive: every brief with its documents, a brief made on demand, the narrative edited."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from surge.access import permissions
from surge.access.principal import Principal
from surge.briefs import approval, narrative, views
from surge.briefs.access import READ_BRIEFS, find_incident
from surge.briefs.document_words import KIND_WORDS, NARRATIVE_WORDS, VERSION_WORDS
from surge.briefs.models import NARRATIVE_PARTS
from surge.briefs.narrative import WRITE_NARRATIVE
from surge.briefs.schemas import NARRATIVE_PART_CHARS, NarrativeIn
from surge.kernel.errors import Conflict, ValidationFailed
from surge.kernel.i18n import N_, translate
from surge.kernel.validation import validate
from surge.web.api.briefs import make_and_send
from surge.web.infra.auth import require
from surge.web.infra.templating import language_of, render
from surge.web.infra.transaction import in_transaction
from surge.web.pages.forms import read_form
from surge.web.pages.path_slugs import path_number, path_slug


def _archive(session: Session, *, slug: str, actor: Principal) -> dict:
    listed = views.list_briefs(session, slug=slug, actor=actor)
    return {"incident": find_incident(session, slug), "briefs": listed.briefs,
            "narrative": narrative.get(session, slug=slug, actor=actor)}


def _page(request: Request, context: dict, user: Principal, *, values: dict | None = None,
          message: str | None = None, status: int = 200) -> Response:
    current = context["narrative"]
    return render(request, "briefs/archive.html", {
        **context, "done": request.query_params.get("done", "")[:20], "message": message,
        "may_write": permissions.allows(user, WRITE_NARRATIVE), "parts": NARRATIVE_PARTS,
        "may_approve": permissions.allows(user, approval.APPROVE_BRIEFS),
        "values": values or {part: getattr(current, part) for part in NARRATIVE_PARTS},
        "max_chars": NARRATIVE_PART_CHARS, "version_words": VERSION_WORDS, "kind_words": KIND_WORDS,
        "narrative_words": NARRATIVE_WORDS}, status=status)


async def archive_page(request: Request) -> Response:
    user = require(request, READ_BRIEFS)
    slug = path_slug(request)
    context = await in_transaction(request, _archive, slug=slug, actor=user)
    return _page(request, context, user)


async def make_now(request: Request) -> Response:
    await read_form(request)
    user = require(request, READ_BRIEFS)
    slug = path_slug(request)
    await make_and_send(request, slug=slug, actor=user)
    return RedirectResponse(f"/ops/incidents/{slug}/briefs?done=made&lang={language_of(request)}", status_code=303)


async def approve_submit(request: Request) -> Response:
    await read_form(request)
    user = require(request, approval.APPROVE_BRIEFS)
    slug = path_slug(request)
    number = path_number(request, "number", missing=N_("There is no brief %(number)s."))
    try:
        await in_transaction(request, approval.approve, slug=slug, number=number, actor=user,
                             now=request.app.state.clock())
    except Conflict as exc:  # approved meanwhile, from another tab or by someone else: say by whom
        context = await in_transaction(request, _archive, slug=slug, actor=user)
        return _page(request, context, user, status=409,
                     message=translate(language_of(request), exc.message, **exc.params))
    return RedirectResponse(f"/ops/incidents/{slug}/briefs?done=approved&lang={language_of(request)}",
                            status_code=303)


async def narrative_submit(request: Request) -> Response:
    form = await read_form(request)
    user = require(request, WRITE_NARRATIVE)
    slug = path_slug(request)
    values = {part: str(form.get(part, ""))[:NARRATIVE_PART_CHARS + 1] for part in NARRATIVE_PARTS}
    try:
        data = validate(NarrativeIn, values)
        await in_transaction(request, narrative.put, slug=slug, data=data, actor=user, now=request.app.state.clock())
    except ValidationFailed as exc:
        context = await in_transaction(request, _archive, slug=slug, actor=user)
        return _page(request, context, user, values=values, status=422,
                     message=translate(language_of(request), exc.message, **exc.params))
    return RedirectResponse(f"/ops/incidents/{slug}/briefs?done=narrative&lang={language_of(request)}#narrative-heading",
                            status_code=303)


routes = [
    Route("/ops/incidents/{slug}/briefs", archive_page, methods=["GET"], name="brief_archive"),
    Route("/ops/incidents/{slug}/briefs", make_now, methods=["POST"], name="brief_make_now"),
    Route("/ops/incidents/{slug}/briefs/narrative", narrative_submit, methods=["POST"], name="brief_narrative"),
    Route("/ops/incidents/{slug}/briefs/{number}/approve", approve_submit, methods=["POST"], name="brief_approve"),
]
