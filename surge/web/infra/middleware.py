"""ASGI middleware: language choice, body size limit, response headers (security, private caching)."""

from __future__ import annotations

import re
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from surge.kernel.errors import envelope
from surge.kernel.i18n import LANGUAGES, N_, negotiate, translate
from surge.web.infra.audience import is_machine_path

LANGUAGE_COOKIE = "surge_lang"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _same_site_navigation(scope: Scope) -> bool:
    """True when the request came from one of our own pages (the language switcher's links).

    Another site can link to `?lang=xx`; that link shows one page in that language but is not
    remembered, so no site but ours can change a reader's language for good.
    """
    fetch_site = _header(scope, b"sec-fetch-site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    referer, host = _header(scope, b"referer"), _header(scope, b"host")
    if not referer or not host:
        return False
    return urlsplit(referer).netloc == host


class LanguageMiddleware:
    """`?lang=xx` wins (remembered in a cookie when chosen on our own pages); then the cookie; then Accept-Language."""

    def __init__(self, app: ASGIApp, *, secure: bool = False):
        self.app = app
        self.cookie_flags = "; Path=/; Max-Age=31536000; SameSite=Lax" + ("; Secure" if secure else "")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Most API calls carry no query and no cookie: nothing is parsed for them.
        query_string = scope.get("query_string", b"")
        query = parse_qs(query_string.decode("latin-1")) if query_string else {}
        chosen = (query.get("lang") or [None])[0]
        language = chosen if chosen in LANGUAGES else None
        remember = language is not None and _same_site_navigation(scope)
        cookies = _header(scope, b"cookie") if language is None else None
        if cookies:
            cookie = SimpleCookie()
            try:
                cookie.load(cookies)
            except Exception:
                pass
            stored = cookie.get(LANGUAGE_COOKIE)
            if stored is not None and stored.value in LANGUAGES:
                language = stored.value
        language = language or negotiate(_header(scope, b"accept-language"))
        scope.setdefault("state", {})["language"] = language

        async def send_with_cookie(message: Message) -> None:
            if remember and message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append("set-cookie", f"{LANGUAGE_COOKIE}={language}{self.cookie_flags}")
            await send(message)

        await self.app(scope, receive, send_with_cookie)


class BodySizeLimitMiddleware:
    """Refuse bodies over the limit with 413 before the application reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int, uploads: tuple[tuple[re.Pattern, int], ...] = ()):
        self.app = app
        self.max_bytes = max_bytes
        # Paths that take a file upload (path pattern, their own limit): a CSV export is larger than any form.
        self.uploads = uploads

    def _limit(self, path: str) -> int:
        return next((limit for pattern, limit in self.uploads if pattern.fullmatch(path)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope.get("path", ""))
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        received = 0
        too_large = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise _BodyTooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        language = scope.get("state", {}).get("language", "en")
        message = translate(language, N_("The request body is too large (limit %(limit)s bytes)."), limit=limit)
        if is_machine_path(scope.get("path", "")):
            response = JSONResponse(envelope("payload_too_large", message), status_code=413)
        else:
            response = PlainTextResponse(message, status_code=413)
        await response(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


_SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(self), camera=(), microphone=()"),
)
_HSTS = ((b"strict-transport-security", b"max-age=63072000; includeSubDomains"),)
_CSP = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
_NO_STORE = ((b"cache-control", b"no-store"), (b"pragma", b"no-cache"))


class ResponseHeadersMiddleware:
    """The headers every answer carries, set in one layer (each header-only layer costs every request its own pass):

    - security: CSP with a per-request nonce, no sniffing, no framing, a strict referrer policy (and HSTS on https);
    - private caching: `Cache-Control: no-store` for a signed-in caller's answers and for every page. Pages carry a
      per-request CSP nonce and often a CSRF token, and a signed-in page shows one person's data: none may be kept
      by the browser (Back after log-out) or a shared cache. Static files and anonymous JSON keep their ordinary
      caching.

    Each header set here replaces any of the same name the application set.
    """

    def __init__(self, app: ASGIApp, *, https: bool):
        self.app = app
        self.security = _SECURITY_HEADERS + (_HSTS if https else ())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                ours = [(b"content-security-policy", _CSP.format(nonce=nonce).encode()), *self.security]
                state = scope.get("state", {})
                signed_in = state.get("user") is not None or state.get("session_key") is not None
                if signed_in or _is_page(headers) or _header(scope, b"authorization") is not None:
                    ours += _NO_STORE
                names = {name for name, _ in ours}
                message["headers"] = [item for item in headers if item[0] not in names] + ours
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_page(headers: list) -> bool:
    return any(name == b"content-type" and value.startswith(b"text/html") for name, value in headers)
