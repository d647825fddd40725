"""One structured access log line per request, tied to a request id the client can quote back."""

from __future__ import annotations

import re
import time
import uuid

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
# A caller's id is kept only if it cannot smuggle markup or line breaks into logs and headers.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


_HEADER_KEY = REQUEST_ID_HEADER.encode()


def request_id_from(scope: Scope) -> str:
    for key, value in scope.get("headers", []):
        if key == _HEADER_KEY:
            candidate = value.decode("latin-1")
            if SANE_REQUEST_ID.fullmatch(candidate):
                return candidate
            break
    return uuid.uuid4().hex


class AccessLogMiddleware:
    """Logs method, path, status and duration; echoes `X-Request-ID` and binds it for the request's logs."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.log = structlog.get_logger("surge.access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500  # what the client gets if the app raises before answering
        start = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["x-request-id"] = request_id
            await send(message)

        # Bound and reset by token, not `bound_contextvars`, which reads every bound variable on each request.
        tokens = structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            try:
                self._log(scope, status, start, request_id)
            finally:
                structlog.contextvars.reset_contextvars(**tokens)

    def _log(self, scope: Scope, status: int, start: float, request_id: str) -> None:
        self.log.info(
            "request",
            method=scope["method"],
            # The raw path keeps its percent-encoding, so a crafted URL cannot forge log lines.
            path=(scope.get("raw_path") or b"").decode("latin-1") or scope["path"],
            status=status,
            duration_ms=round((time.perf_counter() - start) * 1000, 2),
            request_id=request_id,
        )
