"""Errors that carry their HTTP status; one handler turns them into JSON or an error page."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A failure the client can act on. `message` and field messages are gettext msgids."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        fields: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        status: int | None = None,
        code: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.params = params or {}
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code


class BadRequest(ApiError):
    status, code = 400, "bad_request"


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class NotFound(ApiError):
    status, code = 404, "not_found"


class Conflict(ApiError):
    status, code = 409, "conflict"


class UnsupportedMediaType(ApiError):
    status, code = 415, "unsupported_media_type"


class ValidationFailed(ApiError):
    status, code = 422, "invalid"


class TooManyRequests(ApiError):
    status, code = 429, "too_many_requests"


def envelope(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    """The one JSON shape of every error answer."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}
