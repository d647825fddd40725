"""The application factory: routes, middleware, lifespan and error handlers in one place."""

from __future__ import annotations

import contextlib
import logging
import threading
from datetime import timedelta

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from surge.accounts.passwords import use_fast_hashing
from surge.centers.triggers import StalePolicy
from surge.kernel.clock import utcnow
from surge.kernel.db import make_engine
from surge.kernel.paths import STATIC_DIR, TEMPLATES_DIR
from surge.kernel.settings import Settings
from surge.kernel.templates import make_environment
from surge.locations import lookups
from surge.routing.decision_log import DecisionWriter
from surge.routing.service import NetworkCache, RoutingPolicy
from surge.web.api import accounts as accounts_api
from surge.web.api import alerts as alerts_api
from surge.web.api import brief_subscriptions as brief_subscriptions_api
from surge.web.api import briefs as briefs_api
from surge.web.api import calls as calls_api
from surge.web.api import centers as centers_api
from surge.web.api import clearinghouse_protocols as clearinghouse_protocols_api
from surge.web.api import clearinghouses as clearinghouses_api
from surge.web.api import incident_linkages as incident_linkages_api
from surge.web.api import incidents as incidents_api
from surge.web.api import intake as intake_api
from surge.web.api import locations as locations_api
from surge.web.api import outbox as outbox_api
from surge.web.api import referrals as referrals_api
from surge.web.api import route as route_api
from surge.web.api import routing_table as routing_table_api
from surge.web.api import need_reports as need_reports_api
from surge.web.api import taxonomy as taxonomy_api
from surge.web.api import wallboard as wallboard_api
from surge.web.infra import health, metrics, openapi
from surge.web.infra.access_log import AccessLogMiddleware
from surge.web.infra.auth import AuthMiddleware
from surge.web.infra.client_address import ClientAddressMiddleware
from surge.web.infra.error_handlers import DATABASE_DOWN, exception_handlers
from surge.web.infra.geometry_workers import GeometryWorkers
from surge.web.infra.hashing_gate import HashingGate
from surge.web.infra.prefix_router import PrefixRouter
from surge.web.infra.middleware import BodySizeLimitMiddleware, LanguageMiddleware, ResponseHeadersMiddleware
from surge.web.infra.rate_limit import RateLimits
from surge.web.infra.startup_checks import refusal
from surge.web.pages import (brief_unsubscribe, briefs_page, centers, home, incident_status, intake_pages, login,
                              needs_page, outbox, portal, wallboard)
from surge.web.pages import follow_up, need_import, need_log
from surge.web.pages import incidents as incident_pages

WARM_UP_GRACE_SECONDS = 15
log = logging.getLogger("surge.app")


class StartRefused(RuntimeError):
    """The database must not be served as it is; the message says what to do."""


def _check_before_serving(settings: Settings, engine) -> None:
    # Only production refuses here (`surge serve` checks every environment before it listens);
    # a database that is down now is reported by /healthz rather than stopping the worker.
    if not settings.is_production:
        return
    try:
        problem = refusal(settings, engine)
    except DATABASE_DOWN as exc:
        log.warning("could not check the database at start-up: %s", exc.__class__.__name__)
        return
    if problem:
        log.error("refusing to start: %s", problem)
        raise StartRefused(problem)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    use_fast_hashing(settings.fast_password_hashing)
    engine = make_engine(settings.database_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.work_threads
        await run_in_threadpool(_check_before_serving, settings, engine)
        # Geography loads in the background so start-up stays instant and the first caller is quick.
        warm_up = threading.Thread(target=lookups.warm_up, name="geo-warm-up", daemon=True)
        warm_up.start()
        decision_log.start()
        try:
            yield
        finally:
            geometry_workers.close()  # a job still running is killed, not waited for
            await run_in_threadpool(decision_log.close)  # the last decisions are written, not lost
            app.state.rate_limits.close()
        # A process that exits while GEOS is still building the index can crash in native code.
        await run_in_threadpool(warm_up.join, WARM_UP_GRACE_SECONDS)
        engine.dispose()

    geometry_workers = GeometryWorkers(workers=settings.geometry_workers, queue=settings.geometry_queue,
                                       time_limit=settings.geometry_time_limit, prepare=lookups.warm_up)
    decision_log = DecisionWriter(engine)
    metrics_registry = metrics.new_registry()
    routes = [
        *health.routes,
        *metrics.routes,
        *openapi.routes,
        *home.routes,
        *login.routes,
        *centers.routes,
        *wallboard.routes,
        *incident_pages.routes,
        *needs_page.routes,
        *briefs_page.routes,
        *need_log.routes,
        *need_import.routes,
        *intake_pages.routes,
        *portal.routes,
        *follow_up.routes,
        *brief_unsubscribe.routes,
        *incident_status.routes,
        *outbox.routes,
        *accounts_api.routes,
        *centers_api.routes,
        *clearinghouses_api.routes,
        *clearinghouse_protocols_api.routes,
        *incidents_api.routes,
        *briefs_api.routes,
        *brief_subscriptions_api.routes,
        *alerts_api.routes,
        *incident_linkages_api.routes,
        *intake_api.routes,
        *need_reports_api.routes,
        *referrals_api.routes,
        *route_api.routes,
        *calls_api.routes,
        *locations_api.routes,
        *outbox_api.routes,
        *routing_table_api.routes,
        *taxonomy_api.routes,
        *wallboard_api.routes,
        Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static"),
    ]
    middleware = [
        Middleware(ClientAddressMiddleware, trusted=settings.proxy_networks),  # first: every layer sees the real client
        Middleware(metrics.MetricsMiddleware, registry=metrics_registry),
        Middleware(AccessLogMiddleware),
        # Before anything builds a URL from Host (trailing-slash redirects): unknown hosts get 400.
        Middleware(TrustedHostMiddleware, allowed_hosts=settings.trusted_hosts, www_redirect=False),
        Middleware(ResponseHeadersMiddleware, https=settings.is_production),
        Middleware(LanguageMiddleware, secure=settings.is_production),
        Middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes,
                   uploads=((need_import.UPLOAD_PATH, max(settings.needs_import_max_bytes, settings.max_body_bytes)),)),
        Middleware(AuthMiddleware, engine=engine, settings=settings),
    ]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=exception_handlers(), lifespan=lifespan)
    app.router = PrefixRouter(routes, lifespan=lifespan)  # Starlette's own, trying only the routes a path can match
    app.state.settings = settings
    app.state.engine = engine
    app.state.clock = utcnow  # tests put a fake clock here
    app.state.metrics_registry = metrics_registry
    app.state.geometry_workers = geometry_workers
    app.state.templates = make_environment(TEMPLATES_DIR)
    app.state.rate_limits = RateLimits.from_settings(settings)
    app.state.hashing_gate = HashingGate(settings.password_hashing_slots)
    app.state.decision_log = decision_log
    app.state.network = NetworkCache(engine, RoutingPolicy(
        stale_after=timedelta(seconds=settings.status_stale_s), policy=StalePolicy(settings.stale_status),
        fallback=settings.national_fallback or None), clock=lambda: app.state.clock())
    return app
