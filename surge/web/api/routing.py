"""Typed API routes: one declaration gives the role check, the validated input, the answer and the OpenAPI entry.

A handler is `async def handler(request, call: Call) -> BaseModel`. The models named in its `Operation`
both validate the request and describe it in the published spec, so the two cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Awaitable, Callable

from pydantic import BaseModel, TypeAdapter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from surge.access import permissions
from surge.access.principal import Principal
from surge.access.permissions import Permission
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_
from surge.kernel.validation import validate
from surge.web.api.json_body import read_json
from surge.web.infra.auth import require_caller
from surge.web.infra.rate_limit import check_public_api


@dataclass(frozen=True)
class Operation:
    """What one API operation takes, gives, and who may call it."""

    summary: str
    tag: str
    response: type[BaseModel]
    # None: anyone, signed in or not. An empty set: any signed-in caller.
    permission: Permission | None = None
    params: type[BaseModel] | None = None  # path and query parameters; path ones are named in the route's path
    body: Any = None  # a model or any type pydantic can validate (unions included)
    status: int = 200
    errors: tuple[int, ...] = ()
    # Per-address limit (SURGE_PUBLIC_API_REQUESTS_PER_MINUTE) for callers without a valid API token.
    rate_limited: bool = False
    # What a success answers with; anything but JSON is documented as a string (the handler returns a Response).
    media_type: str = "application/json"
    # Media types of a body the handler reads itself (an alert's XML); documented as a string.
    raw_body: tuple[str, ...] = ()

    @property
    def body_adapter(self) -> TypeAdapter | None:
        return None if self.body is None else _adapter(self.body)


@dataclass(frozen=True)
class Call:
    """A validated request: who called, and the parameters and body as models."""

    principal: Principal | None
    params: Any
    body: Any


Handler = Callable[[Request, Call], Awaitable[BaseModel | Response]]
ANY_SIGNED_IN: Permission = frozenset()

_adapters: dict[Any, TypeAdapter] = {}


def _adapter(kind: Any) -> TypeAdapter:
    if kind not in _adapters:
        _adapters[kind] = TypeAdapter(kind)
    return _adapters[kind]


def api_route(path: str, handler: Handler, *, methods: list[str], name: str, op: Operation) -> Route:
    if op.rate_limited and 429 not in op.errors:
        op = replace(op, errors=(*op.errors, 429))  # documented, so clients and the fuzzer expect it

    async def endpoint(request: Request) -> Response:
        if op.rate_limited:
            check_public_api(request)
        principal = None
        if op.permission is not None:
            principal = require_caller(request)
            if op.permission:
                permissions.require(principal, op.permission)
        params = validate(op.params, _raw_params(request, op.params)) if op.params else None
        body = validate(op.body_adapter, await read_json(request)) if op.body is not None else None
        answer = await handler(request, Call(principal, params, body))
        if isinstance(answer, Response):
            return answer
        return JSONResponse(answer.model_dump(mode="json", by_alias=True), status_code=op.status)

    route = Route(path, endpoint, methods=methods, name=name)
    route.operation = op  # read by surge.web.infra.openapi
    return route


def _raw_params(request: Request, model: type[BaseModel]) -> dict[str, str]:
    """Path and query values for the model's fields; a field given twice is refused, not silently picked."""
    names = {field.alias or name for name, field in model.model_fields.items()}  # ?from= for a field from_
    raw: dict[str, str] = {}
    repeated: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key not in names:
            continue  # other parameters (?lang=) belong to other layers
        if key in raw:
            repeated[key] = N_("Give this parameter only once.")
        # An empty value (?county=) counts as not given, as HTML forms send every field.
        if value != "":
            raw[key] = value
    if repeated:
        raise ValidationFailed(N_("Some of the information given is not valid."), fields=repeated)
    raw.update({key: value for key, value in request.path_params.items() if key in names})
    return raw
