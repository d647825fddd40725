"""The home page: a public welcome, or what the signed-in caller's role may see."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from surge.accounts import directory
from surge.access.roles import ROLE_LABELS
from surge.centers.permissions import READ_NETWORK
from surge.web.infra.transaction import in_transaction
from surge.web.infra.templating import render


async def home(request: Request) -> Response:
    principal = request.state.user
    if principal is None:
        return render(request, "public/index.html")
    dashboard = await in_transaction(request, directory.dashboard, actor=principal)
    return render(request, "ops/home.html", {"dashboard": dashboard, "role_labels": ROLE_LABELS,
                                                    "reads_network": principal.role in READ_NETWORK})


routes = [Route("/", home, methods=["GET"], name="home")]
