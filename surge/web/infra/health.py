"""Liveness with a real database round trip."""

from __future__ import annotations

from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


def _database_ok(engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


async def healthz(request: Request) -> JSONResponse:
    ok = await run_in_threadpool(_database_ok, request.app.state.engine)
    return JSONResponse(
        {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unreachable"},
        status_code=200 if ok else 503,
    )


routes = [Route("/healthz", healthz, methods=["GET"], name="healthz")]
