"""The application factory: routes, middleware, lifespan and error handlers in one place."""

from __future__ import annotations

import contextlib
import threading

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from surge import geography, health, openapi
from surge.db import make_engine
from surge.geocoding import app_geocoder
from surge.observability import AccessLogMiddleware, MetricsMiddleware, metrics_routes, new_registry
from surge.settings import Settings
from surge.web import accounts_api, geo_api, home, login
from surge.web.auth import AuthMiddleware
from surge.web.error_handlers import exception_handlers
from surge.web.middleware import BodySizeLimitMiddleware, LanguageMiddleware, SecurityHeadersMiddleware
from surge.web.rate_limit import SlidingWindow
from surge.web.templating import make_environment


def create_app(settings: Settings | None = None) -> Starlette:
    settings = (settings or Settings.from_env()).check()
    engine = make_engine(settings.database_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        # Geography loads in the background so start-up stays instant and the first caller is quick.
        threading.Thread(target=geography.warm_up, name="geo-warm-up", daemon=True).start()
        yield
        engine.dispose()

    metrics_registry = new_registry()
    routes = [
        *health.routes,
        *metrics_routes,
        *openapi.routes,
        *home.routes,
        *login.routes,
        *accounts_api.routes,
        *geo_api.routes,
        Mount("/static", StaticFiles(directory=str(settings.static_dir)), name="static"),
    ]
    middleware = [
        Middleware(MetricsMiddleware, registry=metrics_registry),
        Middleware(AccessLogMiddleware),
        Middleware(SecurityHeadersMiddleware, https=settings.is_production),
        Middleware(LanguageMiddleware, secure=settings.is_production),
        Middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes),
        Middleware(AuthMiddleware, engine=engine, settings=settings),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers=exception_handlers(),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.metrics_registry = metrics_registry
    app.state.templates = make_environment(settings.templates_dir)
    app.state.geocoder = app_geocoder(settings, engine)
    app.state.public_form_limiter = SlidingWindow(settings.public_form_posts_per_minute)
    return app
