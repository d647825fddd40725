"""The wallboard's live data: what the page shows, as JSON, for the page's own polling."""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request

from surge.access.principal import Principal
from surge.centers import wallboard
from surge.centers.permissions import READ_NETWORK
from surge.centers.triggers import StalePolicy
from surge.centers.wallboard import WallboardOut
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.transaction import in_transaction


async def board_for(request: Request, actor: Principal) -> WallboardOut:
    settings = request.app.state.settings
    # CALL METRICS HOOK: pass calls={slug: wallboard.CallFigures(today=..., last_hour=...)} from
    # surge.calls.metrics here; the page and this JSON then show them (None until wired in).
    return await in_transaction(request, wallboard.read, actor=actor, at=request.app.state.clock(),
                                stale_after=timedelta(seconds=settings.status_stale_s),
                                policy=StalePolicy(settings.stale_status), calls=None)


async def get_wallboard(request: Request, call: Call) -> WallboardOut:
    return await board_for(request, call.principal)


routes = [
    api_route("/api/v1/wallboard", get_wallboard, methods=["GET"], name="api_wallboard", op=Operation(
        summary="Every center's load, open state, status age and firing overflow triggers", tag="centers",
        permission=READ_NETWORK, response=WallboardOut)),
]
