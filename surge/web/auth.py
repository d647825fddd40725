"""Who is calling: a browser session or a bearer token, resolved once per request; role checks."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from http.cookies import SimpleCookie

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from surge.accounts import tokens, web_sessions
from surge.db import unit_of_work
from surge.errors import Forbidden, Unauthorized
from surge.i18n import N_

SESSION_COOKIE = "surge_session"
ANON_COOKIE = "surge_anon"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Answered without looking up the caller: health must not depend on the sessions table.
ANONYMOUS_PATHS = ("/static/", "/healthz")


@dataclass(frozen=True)
class Principal:
    kind: str  # "user" or "token"
    id: int
    name: str
    role: str
    center_slug: str | None
    clearinghouse_slug: str | None
    email: str | None = None

    @property
    def actor(self) -> str:
        """How the audit log names this principal."""
        return f"{self.kind}:{self.id}:{self.email or self.name}"


def _principal_of_user(user) -> Principal:
    return Principal("user", user.id, user.display_name or user.email, user.role, user.center_slug,
                     user.clearinghouse_slug, email=user.email)


def _principal_of_token(token) -> Principal:
    return Principal("token", token.id, token.name, token.role, token.center_slug, token.clearinghouse_slug)


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

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(ANONYMOUS_PATHS):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state.update(user=None, session_expired=False, auth_error=None, session_key=None, new_anon_key=None)
        cookies = _cookies(scope)
        bearer = _bearer(scope)
        if bearer is not None:
            token = await run_in_threadpool(self._token, bearer) if bearer else None
            if token is None:
                state["auth_error"] = N_("The API token is missing, unknown or revoked.")
            state["user"] = token
        elif cookies.get(SESSION_COOKIE):
            user, expired = await run_in_threadpool(self._session, cookies[SESSION_COOKIE])
            state["user"] = user
            state["session_expired"] = expired
            if user is not None:
                state["session_key"] = cookies[SESSION_COOKIE]
        anon = cookies.get(ANON_COOKIE)
        if not anon or len(anon) > 100:
            anon = secrets.token_urlsafe(24)
            # Only browsers on our pages need the cookie that anchors their forms' CSRF tokens.
            if bearer is None and not scope.get("path", "").startswith("/api/"):
                state["new_anon_key"] = anon
        state["anon_key"] = anon
        state["csrf_token"] = csrf_token_for(self.settings.secret_key, state["session_key"] or anon)
        await self.app(scope, receive, self._with_cookies(scope, send))

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

    def _now(self) -> datetime:
        return datetime.now(timezone.utc)

    def _token(self, plaintext: str) -> Principal | None:
        with unit_of_work(self.engine) as session:
            token = tokens.resolve(session, plaintext=plaintext, now=self._now())
            return _principal_of_token(token) if token else None

    def _session(self, key: str) -> tuple[Principal | None, bool]:
        with unit_of_work(self.engine) as session:
            user, expired = web_sessions.resolve(session, key=key, now=self._now())
            return (_principal_of_user(user) if user else None), expired


def csrf_token_for(secret: str, key: str) -> str:
    return hmac.new(secret.encode(), f"csrf:{key}".encode(), hashlib.sha256).hexdigest()


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.state.csrf_token
    if not submitted or not hmac.compare_digest(str(submitted), expected):
        raise Forbidden(
            N_("This form has expired or did not come from this site. Reload the page and try again."),
            code="csrf_failed",
        )


def require(request: Request, *roles: str) -> Principal:
    """The caller, if signed in with one of `roles` (any role when none are named)."""
    user: Principal | None = request.state.user
    if user is None:
        if request.state.auth_error:
            raise Unauthorized(request.state.auth_error, code="invalid_token")
        if request.state.session_expired:
            raise Unauthorized(N_("Your session has expired. Please log in again."), code="session_expired")
        raise Unauthorized(N_("Please log in to continue."))
    if roles and user.role not in roles:
        raise Forbidden(N_("You do not have permission to do that."))
    if user.kind == "user" and request.method in UNSAFE_METHODS and request.url.path.startswith("/api/"):
        # A browser calling the API with its session cookie must prove the call came from our pages.
        check_csrf(request, request.headers.get("x-csrf-token"))
    return user
