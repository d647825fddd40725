"""The application factory: routes, middleware, lifespan and error handlers in one place."""

from __future__ import annotations

import contextlib

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from surge import health
from surge.db import make_engine
from surge.settings import Settings
from surge.web.error_handlers import exception_handlers
from surge.web.middleware import BodySizeLimitMiddleware, LanguageMiddleware, SecurityHeadersMiddleware
from surge.web.templating import make_environment


def create_app(settings: Settings | None = None) -> Starlette:
    settings = (settings or Settings.from_env()).check()
    engine = make_engine(settings.database_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        engine.dispose()

    routes = [
        *health.routes,
        Mount("/static", StaticFiles(directory=str(settings.static_dir)), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeadersMiddleware, https=settings.is_production),
        Middleware(LanguageMiddleware),
        Middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers=exception_handlers(),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.templates = make_environment(settings.templates_dir)
    return app
