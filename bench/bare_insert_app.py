"""The baselines for bench/intake_registration.py: an endpoint that inserts one row and answers 201, served by
`surge.web.serving.serve` (uvicorn workers, each with its own socket on the port) with a thread-pool transaction
through surge.kernel.db, in two settings:

- `create_app`: in Surge's own application, the same server as the registrations (its middleware, the caller's
  token looked up, the access log, metrics, response headers, its lifespan and work threads): the stack's limit,
  which the registration's ratio is measured against. Whatever a registration costs beyond it is the
  registration's own work;
- `create_plain_app`: in a Starlette application of its own with nothing else, for the record: the floor of the
  serving itself.

    python -c "from bare_insert_app import main; main()" PORT WORKERS [plain]   (with SURGE_DATABASE_URL set)
"""

from __future__ import annotations

import contextlib
import sys

import anyio
from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from surge.kernel.db import make_engine, unit_of_work
from surge.kernel.settings import Settings

PATH = "/bench/insert"


def _insert_endpoint(engine: Engine):
    def _insert(body: bytes) -> int:
        with unit_of_work(engine) as session:
            return session.execute(text("insert into bench_rows (body) values (:body) returning id"),
                                   {"body": body.decode()}).scalar_one()

    async def insert(request: Request) -> JSONResponse:
        row = await run_in_threadpool(_insert, await request.body())
        return JSONResponse({"id": row}, status_code=201)

    return insert


def create_app() -> Starlette:
    from surge.web.serving import create_served_app

    app = create_served_app()
    app.router.routes.insert(0, Route(PATH, _insert_endpoint(app.state.engine), methods=["POST"]))
    return app


def create_plain_app() -> Starlette:
    settings = Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app):
        # As Surge's own lifespan does: blocking work runs in SURGE_WORK_THREADS threads, no more than the
        # connection pool holds (more would open and close a connection a request).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.work_threads
        yield

    engine = make_engine(settings.database_url)
    return Starlette(routes=[Route(PATH, _insert_endpoint(engine), methods=["POST"]),
                             Route("/healthz", lambda request: JSONResponse({"status": "ok"}))], lifespan=lifespan)


def main() -> None:
    from surge.web.serving import serve

    port, workers = int(sys.argv[1]), int(sys.argv[2])
    factory = "create_plain_app" if sys.argv[3:] == ["plain"] else "create_app"
    serve(Settings.from_env(), host="127.0.0.1", port=port, workers=workers, app_factory=f"bare_insert_app:{factory}")
