"""Who is calling: a browser session or a bearer token, resolved once per request.

A request with an Authorization header is the token's alone: a session cookie beside it is not read, so a
program's rights never depend on which browser it happens to share cookies with, and a bad token is refused
rather than rescued by a session.

The lookup runs in its own short transaction before the handler's: it commits the token's
last-used stamp and removes an expired session even when the handler's own work fails. When
the database does not answer, the caller gets 503 with Retry-After, never a 500.
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie

from starlette.requests import Request
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from surge.access import permissions
from surge.accounts import tokens, web_sessions
from surge.access.principal import Principal
from surge.access.permissions import Permission
from surge.kernel.clock import utcnow
from surge.kernel.db import run_in_transaction
from surge.kernel.errors import Unauthorized
from surge.kernel.i18n import N_
from surge.web.infra.audience import is_machine_path
from surge.web.infra.csrf import check_csrf, csrf_token_for
from surge.web.infra.error_handlers import DATABASE_DOWN, handle_database_down
from surge.web.infra.token_cache import TokenCache

SESSION_COOKIE = "surge_session"
ANON_COOKIE = "surge_anon"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Answered without looking up the caller: health must not depend on the sessions table.
ANONYMOUS_PATHS = ("/static/", "/healthz", "/readyz")


def _cookies(scope: Scope) -> dict[str, str]:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                return {}
            return {name: morsel.value for name, morsel in jar.items()}
    return {}


def _bearer(scope: Scope) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"authorization":
            scheme, _, credential = value.decode("latin-1").partition(" ")
            return credential.strip() if scheme.lower() == "bearer" else ""
    return None


class AuthMiddleware:
    """Puts `user` (a Principal or None), `session_expired`, `auth_error` and `csrf_token` on request.state."""

    def __init__(self, app: ASGIApp, *, engine, settings):
        self.app = app
        self.engine = engine
        self.settings = settings
        self.token_cache = TokenCache(settings.token_cache_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(ANONYMOUS_PATHS):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state.update(user=None, session_expired=False, auth_error=None, session_key=None, new_anon_key=None)
        try:
            await self._identify(scope, state)
        except DATABASE_DOWN as exc:
            response = await handle_database_down(Request(scope), exc)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, self._with_cookies(scope, send))

    async def _identify(self, scope: Scope, state: dict) -> None:
        cookies = _cookies(scope)
        bearer = _bearer(scope)
        if bearer is not None:
            token = self.token_cache.get(bearer) if bearer else None
            if token is None and bearer:
                token = await self._lookup(tokens.resolve, plaintext=bearer)
                if token is not None:
                    self.token_cache.put(bearer, token)
            if token is None:
                state["auth_error"] = N_("The API token is missing, unknown or revoked.")
            state["user"] = token
        elif cookies.get(SESSION_COOKIE):
            user, expired = await self._lookup(web_sessions.resolve, key=cookies[SESSION_COOKIE],
                                               idle_timeout=self.settings.session_idle_timeout)
            state["user"] = user
            state["session_expired"] = expired
            if user is not None:
                state["session_key"] = cookies[SESSION_COOKIE]
        anon = cookies.get(ANON_COOKIE)
        if not anon or len(anon) > 100:
            anon = secrets.token_urlsafe(24)
            # Only browsers on our pages need the cookie that anchors their forms' CSRF tokens.
            if bearer is None and not is_machine_path(scope.get("path", "")):
                state["new_anon_key"] = anon
        state["anon_key"] = anon
        state["csrf_token"] = csrf_token_for(self.settings.secret, state["session_key"] or anon)

    async def _lookup(self, resolve, **kwargs):
        return await run_in_threadpool(run_in_transaction, self.engine, resolve, now=utcnow(), **kwargs)

    def _with_cookies(self, scope: Scope, send: Send) -> Send:
        state = scope["state"]
        secure = "; Secure" if self.settings.is_production else ""

        async def send_with_cookies(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if state.get("new_anon_key"):
                    headers.append((b"set-cookie", f"{ANON_COOKIE}={state['new_anon_key']}; Path=/; HttpOnly; SameSite=Lax{secure}".encode()))
                if state.get("session_expired"):
                    headers.append((b"set-cookie", f"{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}".encode()))
                message["headers"] = headers
            await send(message)

        return send_with_cookies


def require_caller(request: Request) -> Principal:
    """The signed-in caller, or 401; a browser calling the API with its cookie must also pass the CSRF check."""
    user: Principal | None = request.state.user
    if user is None:
        if request.state.auth_error:
            raise Unauthorized(request.state.auth_error, code="invalid_token")
        if request.state.session_expired:
            raise Unauthorized(N_("Your session has expired. Please log in again."), code="session_expired")
        if is_machine_path(request.url.path):
            # Programs cannot log in: say what they must send instead.
            raise Unauthorized(N_("Send an API token in the Authorization header: Bearer followed by the token."))
        raise Unauthorized(N_("Please log in to continue."))
    if user.is_person and request.method in UNSAFE_METHODS and is_machine_path(request.url.path):
        check_csrf(request, request.headers.get("x-csrf-token"))
    return user


def require(request: Request, permission: Permission | None = None) -> Principal:
    """The caller, if signed in and (when one is named) holding the permission."""
    caller = require_caller(request)
    return permissions.require(caller, permission) if permission else caller
