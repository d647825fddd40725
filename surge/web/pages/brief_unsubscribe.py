"""The one-time page an e-mail-only subscriber reaches from a brief's e-mail: stop receiving briefs.
Opening the link only asks; the button ends the subscription (mail scanners open links, they do not post)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from surge.briefs import subscriptions
from surge.kernel.i18n import N_
from surge.web.infra.templating import render
from surge.web.infra.transaction import in_transaction
from surge.web.pages.forms import read_form
from surge.web.pages.path_slugs import path_token

def _token(request: Request) -> str:
    return path_token(request, missing=N_("This link is not known, or it was used already."))


async def unsubscribe_page(request: Request) -> Response:
    await in_transaction(request, subscriptions.check_unsubscribe, token=_token(request))
    return render(request, "public/brief_unsubscribe.html", {"done": False})


async def unsubscribe_submit(request: Request) -> Response:
    await read_form(request)
    await in_transaction(request, subscriptions.unsubscribe, token=_token(request))
    return render(request, "public/brief_unsubscribe.html", {"done": True})


routes = [
    Route("/briefs/unsubscribe/{token}", unsubscribe_page, methods=["GET"], name="brief_unsubscribe"),
    Route("/briefs/unsubscribe/{token}", unsubscribe_submit, methods=["POST"], name="brief_unsubscribe_submit"),
]
