"""GET /api/v1/route: where a caller's call should go, for phone systems and staff alike."""

from __future__ import annotations

import functools

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from surge.locations import lookups
from surge.routing import service
from surge.routing.models import RouteIn, RouteOut
from surge.web.api.routing import ANY_SIGNED_IN, Call, Operation, api_route


async def route(request: Request, call: Call) -> JSONResponse:
    state = request.app.state
    work = functools.partial(service.route, call.params, actor=call.principal, cache=state.network,
                             log=state.decision_log, now=state.clock())
    if state.network.is_fresh() and lookups.is_warm():
        answer = work()  # microseconds from memory: a thread hop would cost more than the decision
    else:
        answer = await run_in_threadpool(work)  # the network is reloaded (a few queries) or geography is loading
    return JSONResponse(answer)  # already JSON values in RouteOut's shape


routes = [
    api_route("/api/v1/route", route, methods=["GET"], name="api_route", op=Operation(
        summary="The centers that should take a call from this ZIP code, county or point, in order",
        tag="routing", permission=ANY_SIGNED_IN, params=RouteIn, response=RouteOut, errors=(404,))),
]
