"""The home page: a public welcome, or what exists for the signed-in user's role."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from surge.accounts import directory
from surge.accounts.roles import ROLE_LABELS, Role
from surge.db import unit_of_work
from surge.web.templating import render


def _dashboard(engine, principal) -> dict:
    with unit_of_work(engine) as session:
        context = {"own_activity": directory.recent_audit(session, limit=10, actor=principal.actor)}
        if principal.role == Role.ADMIN:
            context.update(
                users=directory.users(session),
                tokens=directory.api_tokens(session),
                audit=directory.recent_audit(session, limit=20),
            )
        if principal.role in (Role.ADMIN, Role.EMERGENCY_MANAGER):
            context["users_by_role"] = directory.users_by_role(session)
        return context


async def home(request: Request) -> Response:
    principal = request.state.user
    if principal is None:
        return render(request, "public/index.html")
    context = await run_in_threadpool(_dashboard, request.app.state.engine, principal)
    context["role_labels"] = ROLE_LABELS
    return render(request, "ops/home.html", context)


routes = [Route("/", home, methods=["GET"], name="home")]
