"""The baseline for bench/intake_registration.py: the same stack (served by `surge.web.serving.serve`: uvicorn
workers, each with its own socket on the port; Starlette; a thread-pool transaction through surge.kernel.db) with
an endpoint that inserts one row and answers 201. Whatever the registration costs beyond this is Surge's own work.

    python -c "from bare_insert_app import main; main()" PORT WORKERS    (with SURGE_DATABASE_URL set)
"""

from __future__ import annotations

import contextlib
import os
import sys

import anyio

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from surge.kernel.db import make_engine, unit_of_work
from surge.kernel.settings import Settings


def create_app() -> Starlette:
    engine = make_engine(os.environ["SURGE_DATABASE_URL"])

    def _insert(body: bytes) -> int:
        with unit_of_work(engine) as session:
            return session.execute(text("insert into bench_rows (body) values (:body) returning id"),
                                   {"body": body.decode()}).scalar_one()

    async def insert(request: Request) -> JSONResponse:
        row = await run_in_threadpool(_insert, await request.body())
        return JSONResponse({"id": row}, status_code=201)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        # As Surge's own lifespan does: blocking work runs in SURGE_WORK_THREADS threads, no more than the
        # connection pool holds (more would open and close a connection a request).
        anyio.to_thread.current_default_thread_limiter().total_tokens = Settings.from_env().work_threads
        yield

    return Starlette(routes=[Route("/insert", insert, methods=["POST"]),
                             Route("/healthz", lambda request: JSONResponse({"status": "ok"}))], lifespan=lifespan)


def main() -> None:
    from surge.web.serving import serve

    port, workers = int(sys.argv[1]), int(sys.argv[2])
    serve(Settings.from_env(), host="127.0.0.1", port=port, workers=workers, app_factory="bare_insert_app:create_app")
