"""API routes carry their own OpenAPI description, so the published spec cannot drift from the router."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

from starlette.requests import Request
from starlette.routing import Route

from surge.errors import BadRequest, UnsupportedMediaType, ValidationFailed
from surge.i18n import N_


@dataclass(frozen=True)
class ApiDoc:
    """What OpenAPI needs to know about one operation."""

    summary: str
    tag: str
    roles: tuple[str, ...] | None = None  # None: public; () : any authenticated caller
    parameters: tuple[dict[str, Any], ...] = ()
    request_schema: dict[str, Any] | None = None
    response_schema: dict[str, Any] = field(default_factory=lambda: {"type": "object"})
    success_status: int = 200
    error_statuses: tuple[int, ...] = ()


def api_route(path: str, endpoint: Callable, *, methods: list[str], doc: ApiDoc, name: str | None = None) -> Route:
    route = Route(path, endpoint, methods=methods, name=name)
    route.api_doc = doc  # read by surge.openapi
    return route


def query_param(name: str, *, description: str, required: bool = False, schema: dict | None = None) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema or {"type": "string"},
    }


async def read_json(request: Request) -> Any:
    """The request body as JSON, or a clear 415/400 explaining what is wrong with it."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise UnsupportedMediaType(N_("Send the body as JSON with Content-Type: application/json."))
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(N_("The body is not valid UTF-8 text."), code="bad_encoding") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadRequest(
            N_("The body is not valid JSON (line %(line)s, column %(column)s)."),
            params={"line": exc.lineno, "column": exc.colno},
            code="malformed_json",
        ) from None


async def read_json_object(request: Request) -> dict[str, Any]:
    body = await read_json(request)
    if not isinstance(body, dict):
        raise ValidationFailed(N_("The body must be a JSON object."))
    return body
