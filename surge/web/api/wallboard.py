"""The wallboard's live data: what the page shows, as JSON, for the page's own polling."""

from __future__ import annotations

import time
from datetime import timedelta

from starlette.requests import Request

from surge.access.principal import Principal
from surge.calls import board
from surge.centers import wallboard
from surge.centers.permissions import READ_NETWORK
from surge.centers.triggers import StalePolicy
from surge.centers.wallboard import WallboardOut
from surge.incidents import lifecycle
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.transaction import in_transaction


CALLS_REFRESH_S = 15  # every viewer polls; the call figures are counted at most this often per process


def _window(found: dict) -> wallboard.CallWindow:
    return wallboard.CallWindow(offered=found["offered"], answered=found["answered"],
                                abandon_rate=found["abandon_rate"], asa_s=found["asa_s"])


async def _calls(request: Request, actor: Principal, now) -> dict[str, wallboard.CallFigures]:
    state = request.app.state
    cached = getattr(state, "wallboard_calls", None)
    if cached is not None and time.monotonic() - cached[0] < CALLS_REFRESH_S:
        return cached[1]
    settings = state.settings
    found = await in_transaction(request, board.recent_calls, now=now, actor=actor,
                                 short_abandon_s=settings.short_abandon_s, service_level_s=settings.service_level_s)
    calls = {slug: wallboard.CallFigures(today=_window(windows["today"]), last_hour=_window(windows["last_hour"]))
             for slug, windows in found.items()}
    state.wallboard_calls = (time.monotonic(), calls)
    return calls


async def board_for(request: Request, actor: Principal) -> WallboardOut:
    settings = request.app.state.settings
    now = request.app.state.clock()
    calls = await _calls(request, actor, now)
    return await in_transaction(request, _board, actor=actor, at=now,
                                stale_after=timedelta(seconds=settings.status_stale_s),
                                policy=StalePolicy(settings.stale_status), calls=calls)


def _board(session, **kwargs) -> WallboardOut:
    return wallboard.read(session, disaster_counties=lifecycle.disaster_counties(session), **kwargs)


async def get_wallboard(request: Request, call: Call) -> WallboardOut:
    return await board_for(request, call.principal)


routes = [
    api_route("/api/v1/wallboard", get_wallboard, methods=["GET"], name="api_wallboard", op=Operation(
        summary="Every center's load, open state, status age and firing overflow triggers", tag="centers",
        permission=READ_NETWORK, response=WallboardOut)),
]
