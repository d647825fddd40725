"""Prometheus metrics: request counts and latency per route template, and the /metrics endpoint.

Each app owns its registry (`app.state.metrics_registry`), so several apps can live in one process.
Under `surge serve --workers N` every worker writes its series to files in the directory named by
PROMETHEUS_MULTIPROC_DIR (set up by `surge.web.serving`), and `/metrics` adds up all the workers,
whichever of them answers the scrape.
"""

from __future__ import annotations

import os
import platform
import time

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, Info, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from surge.access.permissions import READ_METRICS
from surge.kernel.release import surge_version
from surge.web.infra.auth import require

UNMATCHED = "<unmatched>"
# Anything else a client sends as a method would mint a new series; fold it into one label.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def new_registry() -> CollectorRegistry:
    """A registry for one app, carrying `surge_build_info`."""
    registry = CollectorRegistry()
    _build_info(registry)
    return registry


def _build_info(registry: CollectorRegistry) -> None:
    Info("surge_build", "The running Surge version.", registry=registry).info(
        {"version": surge_version(), "python": platform.python_version()}
    )


def exposition(registry: CollectorRegistry) -> bytes:
    """This app's series, or every worker's together when the server runs several."""
    directory = os.environ.get(MULTIPROCESS_DIR_VARIABLE)
    if not directory:
        return generate_latest(registry)
    combined = CollectorRegistry()
    MultiProcessCollector(combined, path=directory)
    _build_info(combined)  # an Info is per process, not kept in the shared files
    return generate_latest(combined)


def route_templates(routes: list[BaseRoute], prefix: str = "") -> dict[int, str]:
    """Route object id -> full path template (mount prefixes included, converters stripped)."""
    templates: dict[int, str] = {}
    for route in routes:
        if isinstance(route, Mount):
            children = route.routes
            if children:
                # A mount whose own router found nothing answered 404: that is unmatched too.
                templates[id(route)] = UNMATCHED
                templates.update(route_templates(children, prefix + route.path_format.removesuffix("/{path}")))
            else:
                templates[id(route)] = prefix + route.path_format
        elif getattr(route, "path_format", None):
            templates[id(route)] = prefix + route.path_format
    return templates


def find_route(routes: list[BaseRoute], scope: Scope) -> BaseRoute | None:
    """Match like the router does, for responses sent before routing (a 413, for instance)."""
    for route in routes:
        match, child_scope = route.matches(scope)
        if match is Match.NONE:
            continue
        if isinstance(route, Mount) and route.routes:
            return find_route(route.routes, {**scope, **child_scope})
        return route
    return None


class MetricsMiddleware:
    """Counts requests and observes latency, labelled by route template, never by raw path."""

    def __init__(self, app: ASGIApp, *, registry: CollectorRegistry):
        self.app = app
        self.requests = Counter(
            "surge_http_requests",
            "HTTP requests answered, by method, route template and status code.",
            ["method", "path", "status"],
            registry=registry,
        )
        # No status label here: it would multiply every bucket series by each status seen.
        self.latency = Histogram(
            "surge_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template.",
            ["method", "path"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self._templates: dict[int, str] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        app = scope.get("app")  # a mounted sub-app may replace it in the shared scope
        status = 500  # what the client gets if the app raises before answering
        start = time.perf_counter()

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            elapsed = time.perf_counter() - start
            method = scope["method"] if scope["method"] in KNOWN_METHODS else "OTHER"
            path = self._template(app, scope)
            self.requests.labels(method, path, str(status)).inc()
            self.latency.labels(method, path).observe(elapsed)

    def _template(self, app, scope: Scope) -> str:
        routes = getattr(app, "routes", None)
        if routes is None:
            return UNMATCHED
        # The router leaves the innermost matched route in the scope; look up its full template.
        route = scope.get("route") or find_route(routes, scope)
        if route is None:
            return UNMATCHED
        if self._templates is None or id(route) not in self._templates:
            # Built lazily, as routes are final by the first request; rebuilt if one was added since.
            self._templates = route_templates(routes)
            self._templates.setdefault(id(route), UNMATCHED)
        return self._templates[id(route)]


async def metrics(request: Request) -> Response:
    # Scrapers authenticate with an admin bearer token: the series reveal traffic and error rates.
    require(request, READ_METRICS)
    body = await run_in_threadpool(exposition, request.app.state.metrics_registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


routes = [Route("/metrics", metrics, methods=["GET"], name="metrics")]
