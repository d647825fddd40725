"""The outbox page for administrators: counts by state, the dead messages, and a Replay button each."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from surge.access.permissions import MANAGE_OUTBOX
from surge.kernel.i18n import N_
from surge.outbox import admin
from surge.outbox.models import State
from surge.web.infra.auth import require
from surge.web.infra.templating import render
from surge.web.infra.transaction import in_transaction
from surge.web.pages.forms import read_form
from surge.web.pages.path_slugs import path_number

PAGE_SIZE = 50


def _overview(session, *, actor, page: int) -> dict:
    return {"counts": admin.counts(session, actor=actor),
            "dead": admin.list_messages(session, actor=actor, state=State.DEAD, page=page, page_size=PAGE_SIZE)}


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) <= 1_000_000 else 1


async def outbox_page(request: Request) -> Response:
    user = require(request, MANAGE_OUTBOX)
    page = _page_number(request)
    overview = await in_transaction(request, _overview, actor=user, page=page)
    replayed = request.query_params.get("replayed", "")
    return render(request, "ops/outbox.html", {
        **overview, "page": page, "email_enabled": request.app.state.settings.email_enabled,
        "replayed": replayed if replayed.isascii() and replayed.isdigit() else None,
    })


async def replay_submit(request: Request) -> Response:
    user = require(request, MANAGE_OUTBOX)
    await read_form(request)
    message_id = path_number(request, missing=N_("No such message."), largest=2**63 - 1)
    message = await in_transaction(request, admin.replay, actor=user, message_id=message_id,
                                   now=request.app.state.clock())
    return RedirectResponse(f"/admin/outbox?replayed={message.id}", status_code=303)


routes = [
    Route("/admin/outbox", outbox_page, methods=["GET"], name="admin_outbox"),
    Route("/admin/outbox/{id}/replay", replay_submit, methods=["POST"], name="admin_outbox_replay"),
]
