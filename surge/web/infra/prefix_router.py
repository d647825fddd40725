"""Starlette's router, trying only the routes a path can match.

Starlette tries every route's pattern in turn; with a hundred routes that cost more per request than some
handlers. A route's pattern begins with its fixed text (the path up to its first `{`), so a path that does not
start with it cannot match; and whether a route's pattern matches a path depends on the path alone (the method
only tells a full match from a partial one). So for each path seen lately the router keeps the routes whose
pattern matched it, in their declared order, and an HTTP request tries only those: the first full match, else the
first partial one (405), is the one Starlette would pick. When none matches, Starlette's own loop runs, so 404s
and trailing-slash redirects are answered exactly as before.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Match, Mount, Route, Router, WebSocketRoute, get_route_path
from starlette.types import Receive, Scope, Send

# Paths remembered at most; past it the memory starts again (a crawler's random paths cannot grow it).
KEPT_PATHS = 1024


def _fixed_start(route: BaseRoute) -> str | None:
    """The text every path the route matches begins with; None when its matching may depend on more than the path."""
    if isinstance(route, (Route, Mount, WebSocketRoute)):
        return route.path_format.split("{", 1)[0]
    return None


class PrefixRouter(Router):
    _indexed: list[BaseRoute] | None = None
    _starts: tuple[tuple[str | None, BaseRoute], ...] = ()
    _kept: dict[str, list[BaseRoute]]

    def _candidates(self, scope: Scope, path: str) -> list[BaseRoute]:
        if self._indexed != self.routes:  # compared by identity first: cheap; routes added later are indexed too
            self._indexed = list(self.routes)
            self._starts = tuple((_fixed_start(route), route) for route in self._indexed)
            self._kept = {}
        kept = self._kept.get(path)
        if kept is None:
            kept = [route for start, route in self._starts if start is None or (
                path.startswith(start) and route.matches(scope)[0] is not Match.NONE)]
            if len(self._kept) >= KEPT_PATHS:
                self._kept.clear()
            self._kept[path] = kept
        return kept

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().app(scope, receive, send)
            return
        scope.setdefault("router", self)
        partial = partial_scope = None
        for route in self._candidates(scope, get_route_path(scope)):
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                scope["route"] = route
                scope.update(child_scope)
                await route.handle(scope, receive, send)
                return
            if match is Match.PARTIAL and partial is None:
                partial, partial_scope = route, child_scope
        if partial is not None:
            scope["route"] = partial
            scope.update(partial_scope)
            await partial.handle(scope, receive, send)
            return
        await super().app(scope, receive, send)  # no route: Starlette's 404 or trailing-slash redirect
