"""The OpenAPI 3.1 document, built from the routes and their models, so it cannot drift from the code."""

from __future__ import annotations

import copy
import re
from http import HTTPStatus
from typing import Any, Iterator

from pydantic import BaseModel, ConfigDict, TypeAdapter
from starlette.convertors import Convertor, FloatConvertor, IntegerConvertor, UUIDConvertor
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route

from surge.kernel.release import surge_version
from surge.web.api.routing import Call, Operation, api_route

REF_TEMPLATE = "#/components/schemas/{model}"
ERROR_REF = {"$ref": REF_TEMPLATE.format(model="Error")}
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


def _walk(routes: list[BaseRoute], prefix: str = "", convertors: dict | None = None) -> Iterator[tuple[str, dict, Route]]:
    """Every plain route as (full path with converters stripped, path converters, route)."""
    convertors = convertors or {}
    for route in routes:
        if isinstance(route, Mount):
            own = {name: conv for name, conv in route.param_convertors.items() if name != "path"}
            yield from _walk(route.routes, prefix + route.path_format.removesuffix("/{path}"), {**convertors, **own})
        elif isinstance(route, Route):
            yield prefix + route.path_format, {**convertors, **route.param_convertors}, route


def _convertor_schema(convertor: Convertor | None) -> dict[str, Any]:
    if isinstance(convertor, IntegerConvertor):
        return {"type": "integer", "minimum": 0}
    if isinstance(convertor, FloatConvertor):
        return {"type": "number", "minimum": 0}
    if isinstance(convertor, UUIDConvertor):
        return {"type": "string", "format": "uuid"}
    return {"type": "string"}


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A parameter is absent rather than null: `X | None` becomes plain X."""
    options = schema.get("anyOf")
    if options and any(option.get("type") == "null" for option in options):
        rest = [option for option in options if option.get("type") != "null"]
        merged = {key: value for key, value in schema.items() if key != "anyOf"}
        return {**rest[0], **merged} if len(rest) == 1 else {**merged, "anyOf": rest}
    return schema


def _parameters(path: str, convertors: dict, model: type[BaseModel] | None) -> tuple[list[dict], str | None]:
    in_path = PATH_PARAM.findall(path)
    parameters: list[dict[str, Any]] = []
    described: set[str] = set()
    note = None
    if model is not None:
        schema = TypeAdapter(model).json_schema(ref_template=REF_TEMPLATE)
        note = schema.get("description")
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            prop = _not_null(dict(prop))
            prop.pop("title", None)
            if prop.get("default", "") is None:
                del prop["default"]
            description = prop.pop("description", None)
            where = "path" if name in in_path else "query"
            parameter = {"name": name, "in": where, "required": where == "path" or name in required, "schema": prop}
            if description:
                parameter["description"] = description
            parameters.append(parameter)
            described.add(name)
    implied = [{"name": name, "in": "path", "required": True, "schema": _convertor_schema(convertors.get(name))}
               for name in in_path if name not in described]
    return [*implied, *parameters], note


def _error(status: int) -> dict[str, Any]:
    return {"description": HTTPStatus(status).phrase, "content": {"application/json": {"schema": ERROR_REF}}}


def _error_statuses(op: Operation, has_params: bool) -> set[int]:
    errors = set(op.errors)
    if has_params:
        errors.add(422)
    if op.body is not None or op.raw_body:
        errors |= {400, 413, 415, 422}
    if op.permission is not None:
        errors |= {401, 403}  # 403 also when a browser session's CSRF token is missing
    return errors


def _operation(op: Operation, path: str, convertors: dict, operation_id: str, schemas: dict) -> dict[str, Any]:
    success: dict[str, Any] = {"description": HTTPStatus(op.status).phrase}
    if op.status != 204 and op.media_type != "application/json":
        success["content"] = {op.media_type: {"schema": {"type": "string"}}}
    elif op.status != 204:
        success["content"] = {"application/json": {"schema": schemas[("response", op.response)]}}
    parameters, note = _parameters(path, convertors, op.params)
    operation: dict[str, Any] = {"operationId": operation_id, "summary": op.summary, "tags": [op.tag]}
    description = [note] if note else []
    if op.permission is not None:
        operation["security"] = [{"bearerAuth": []}]
        roles = ", ".join(sorted(op.permission))
        description.append(f"Allowed roles: {roles}." if roles else "Allowed roles: any authenticated caller.")
    if description:
        operation["description"] = " ".join(description)
    if parameters:
        operation["parameters"] = parameters
    if op.body is not None:
        operation["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": schemas[("body", op.body)]}}}
    elif op.raw_body:
        operation["requestBody"] = {"required": True,
                                    "content": {kind: {"schema": {"type": "string"}} for kind in op.raw_body}}
    errors = _error_statuses(op, bool(parameters))
    operation["responses"] = {str(op.status): success, **{str(s): _error(s) for s in sorted(errors)}}
    return operation


def _operation_id(route: Route, method: str, path: str, methods: list[str], used: set[str]) -> str:
    name = route.name if len(methods) == 1 else f"{route.name}_{method.lower()}"
    if not route.name or name in used:
        name = f"{method.lower()}_{re.sub(r'[^A-Za-z0-9]+', '_', path).strip('_')}"
    used.add(name)
    return name


def _model_schemas(operations: list[Operation]) -> tuple[dict, dict]:
    """Each body and answer model's schema (a $ref where pydantic names it), and the shared definitions."""
    wanted: dict[tuple[str, Any], tuple[Any, str, TypeAdapter]] = {}
    for op in operations:
        wanted.setdefault(("response", op.response), (("response", op.response), "serialization",
                                                      TypeAdapter(op.response)))
        if op.body is not None:
            wanted.setdefault(("body", op.body), (("body", op.body), "validation", op.body_adapter))
    if not wanted:
        return {}, {}
    mapping, definitions = TypeAdapter.json_schemas(list(wanted.values()), ref_template=REF_TEMPLATE)
    return {key: schema for (key, _mode), schema in mapping.items()}, definitions.get("$defs", {})


def build_spec(app) -> dict[str, Any]:
    found = [(path, convertors, route, route.operation) for path, convertors, route in _walk(app.routes)
             if getattr(route, "operation", None) is not None]
    schemas, definitions = _model_schemas([op for *_rest, op in found])
    paths: dict[str, dict[str, Any]] = {}
    tags: set[str] = set()
    used_ids: set[str] = set()
    for path, convertors, route, op in found:
        # HEAD rides along with GET in Starlette; it is not a separate operation.
        methods = sorted(m for m in (route.methods or {"GET"}) if m != "HEAD") or ["HEAD"]
        for method in methods:
            operation_id = _operation_id(route, method, path, methods, used_ids)
            paths.setdefault(path, {})[method.lower()] = _operation(op, path, convertors, operation_id, schemas)
        tags.add(op.tag)
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Surge API", "version": surge_version()},
        "tags": [{"name": tag} for tag in sorted(tags)],
        "paths": paths,
        "components": {
            "schemas": {**definitions, "Error": ERROR_SCHEMA},
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }
    return copy.deepcopy(spec)  # callers may edit it freely


class OpenApiDocument(BaseModel):
    model_config = ConfigDict(extra="allow")

    openapi: str
    info: dict[str, Any]
    paths: dict[str, Any]


async def openapi_json(request: Request, call: Call) -> JSONResponse:
    if getattr(request.app.state, "openapi_spec", None) is None:
        request.app.state.openapi_spec = build_spec(request.app)  # routes are final once serving
    return JSONResponse(request.app.state.openapi_spec)


routes = [
    api_route("/api/v1/openapi.json", openapi_json, methods=["GET"], name="openapi",
              op=Operation(summary="This API's OpenAPI 3.1 description", tag="meta", response=OpenApiDocument)),
]
