"""Liveness and readiness, each with a real database round trip.

`/healthz`: the database answers and is migrated to the head revision (a database that answers
but has no tables would fail every log-in). `/readyz`: also, this worker has its geography
loaded, so a load balancer sends it callers only once the first locate is quick.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from surge.locations import lookups
from surge.schema import revision_problem


def _database_state(engine) -> str:
    """"ok", "unreachable", or "not_migrated"."""
    try:
        problem = revision_problem(engine)
    except Exception:
        return "unreachable"
    return "not_migrated" if problem else "ok"


async def _report(request: Request, *, need_geography: bool) -> JSONResponse:
    database = await run_in_threadpool(_database_state, request.app.state.engine)
    body = {"database": database}
    if database == "not_migrated":
        body["reason"] = "run `surge db upgrade`"
    ok = database == "ok"
    if need_geography:
        body["geography"] = "loaded" if lookups.is_warm() else "loading"
        ok = ok and lookups.is_warm()
    body = {"status": "ok" if ok else "unavailable", **body}
    # Probes must see the state of this moment, never a cached answer.
    return JSONResponse(body, status_code=200 if ok else 503, headers={"cache-control": "no-store"})


async def healthz(request: Request) -> JSONResponse:
    return await _report(request, need_geography=False)


async def readyz(request: Request) -> JSONResponse:
    return await _report(request, need_geography=True)


routes = [
    Route("/healthz", healthz, methods=["GET"], name="healthz"),
    Route("/readyz", readyz, methods=["GET"], name="readyz"),
]
