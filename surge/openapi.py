"""The OpenAPI 3.1 document, built from the routes themselves so it cannot drift from the router."""

from __future__ import annotations

import copy
import re
from http import HTTPStatus
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Iterator

from starlette.convertors import Convertor, FloatConvertor, IntegerConvertor, UUIDConvertor
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route

from surge.web.api import ApiDoc, api_route

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "description": "Stable, machine-readable error code."},
                "message": {"type": "string", "description": "Human-readable, in the caller's language."},
                "fields": {
                    "type": "object",
                    "description": "Per-field messages for invalid input.",
                    "additionalProperties": {"type": "string"},
                },
            },
        }
    },
}
PATH_PARAM = re.compile(r"\{(\w+)\}")


def _api_version() -> str:
    try:
        return version("surge")
    except PackageNotFoundError:
        return "0"


def _walk(
    routes: list[BaseRoute],
    prefix: str = "",
    convertors: dict | None = None,
) -> Iterator[tuple[str, dict, Route]]:
    """Every plain route as (full path with converters stripped, path converters, route)."""
    convertors = convertors or {}
    for route in routes:
        if isinstance(route, Mount):
            own = {name: conv for name, conv in route.param_convertors.items() if name != "path"}
            yield from _walk(route.routes, prefix + route.path_format.removesuffix("/{path}"), {**convertors, **own})
        elif isinstance(route, Route):
            yield prefix + route.path_format, {**convertors, **route.param_convertors}, route


def _param_schema(convertor: Convertor | None) -> dict[str, Any]:
    if isinstance(convertor, IntegerConvertor):
        return {"type": "integer", "minimum": 0}
    if isinstance(convertor, FloatConvertor):
        return {"type": "number", "minimum": 0}
    if isinstance(convertor, UUIDConvertor):
        return {"type": "string", "format": "uuid"}
    return {"type": "string"}


def _parameters(path: str, convertors: dict, doc: ApiDoc) -> list[dict[str, Any]]:
    declared = {(p["in"], p["name"]) for p in doc.parameters}
    implied = [
        {"name": name, "in": "path", "required": True, "schema": _param_schema(convertors.get(name))}
        for name in PATH_PARAM.findall(path)
        if ("path", name) not in declared
    ]
    return [*implied, *doc.parameters]


def _error(status: int) -> dict[str, Any]:
    return {"description": HTTPStatus(status).phrase, "content": {"application/json": {"schema": ERROR_REF}}}


def _operation(doc: ApiDoc, path: str, convertors: dict, operation_id: str) -> dict[str, Any]:
    success: dict[str, Any] = {"description": HTTPStatus(doc.success_status).phrase}
    if doc.success_status != 204:
        success["content"] = {"application/json": {"schema": doc.response_schema}}
    errors = set(doc.error_statuses)
    operation: dict[str, Any] = {"operationId": operation_id, "summary": doc.summary, "tags": [doc.tag]}
    if doc.roles is not None:
        errors |= {401, 403}
        operation["security"] = [{"bearerAuth": []}]
        operation["description"] = (
            f"Allowed roles: {', '.join(doc.roles)}." if doc.roles else "Allowed roles: any authenticated caller."
        )
    parameters = _parameters(path, convertors, doc)
    if parameters:
        operation["parameters"] = parameters
    if doc.request_schema is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": doc.request_schema}}}
    operation["responses"] = {str(doc.success_status): success, **{str(s): _error(s) for s in sorted(errors)}}
    return operation


def _operation_id(route: Route, method: str, path: str, methods: list[str], used: set[str]) -> str:
    name = route.name if len(methods) == 1 else f"{route.name}_{method.lower()}"
    if not route.name or name in used:
        name = f"{method.lower()}_{re.sub(r'[^A-Za-z0-9]+', '_', path).strip('_')}"
    used.add(name)
    return name


def build_spec(app) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    tags: set[str] = set()
    used_ids: set[str] = set()
    for path, convertors, route in _walk(app.routes):
        doc: ApiDoc | None = getattr(route, "api_doc", None)
        if doc is None:
            continue
        # HEAD rides along with GET in Starlette; it is not a separate operation.
        methods = sorted(m for m in (route.methods or {"GET"}) if m != "HEAD") or ["HEAD"]
        for method in methods:
            operation_id = _operation_id(route, method, path, methods, used_ids)
            paths.setdefault(path, {})[method.lower()] = _operation(doc, path, convertors, operation_id)
        tags.add(doc.tag)
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Surge API", "version": _api_version()},
        "tags": [{"name": tag} for tag in sorted(tags)],
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR_SCHEMA},
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }
    return copy.deepcopy(spec)  # callers may edit it without touching the schemas the routes hold


async def openapi_json(request: Request) -> JSONResponse:
    return JSONResponse(build_spec(request.app))


routes = [
    api_route(
        "/api/v1/openapi.json",
        openapi_json,
        methods=["GET"],
        name="openapi",
        doc=ApiDoc(
            summary="This API's OpenAPI 3.1 description",
            tag="meta",
            response_schema={"type": "object", "required": ["openapi", "info", "paths"]},
        ),
    )
]
