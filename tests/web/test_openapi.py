"""The published OpenAPI document: served, valid, and covering every API route."""

from __future__ import annotations

import re

from openapi_spec_validator import validate
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from pydantic import BaseModel, Field

from surge.access.roles import Role
from surge.web.api.routing import ANY_SIGNED_IN, Operation, api_route
from surge.web.infra.openapi import build_spec


def _all_routes(routes, prefix=""):
    """(full path as OpenAPI writes it, route) for every leaf route; independent of surge.web.infra.openapi on purpose."""
    for route in routes:
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", prefix + getattr(route, "path", ""))
        if isinstance(route, Mount) and route.routes:
            yield from _all_routes(route.routes, path)
        else:
            yield path, route


def test_spec_is_served_as_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] == "Surge API"
    assert "get" in spec["paths"]["/api/v1/openapi.json"]
    assert "security" not in spec["paths"]["/api/v1/openapi.json"]["get"]


def test_served_spec_is_a_valid_openapi_document(client):
    validate(client.get("/api/v1/openapi.json").json())


def _undocumented(app) -> list[str]:
    spec = build_spec(app)
    problems = []
    for path, route in _all_routes(app.routes):
        if not path.startswith("/api/"):
            continue
        if getattr(route, "operation", None) is None:
            problems.append(f"{path}: declared without api_route/Operation")
            continue
        operations = spec["paths"].get(path, {})
        for method in (getattr(route, "methods", None) or {"GET"}) - {"HEAD"}:
            if method.lower() not in operations:
                problems.append(f"{method} {path}: missing from the OpenAPI document")
    return problems


def test_every_api_route_is_documented_and_in_the_spec(app):
    assert _undocumented(app) == []


def test_the_coverage_check_catches_an_undocumented_api_route():
    app = Starlette(routes=[Mount("/api/v1", routes=[Route("/secret/{id:int}", _ok)])])
    assert _undocumented(app) == ["/api/v1/secret/{id}: declared without api_route/Operation"]


def test_operation_ids_are_unique(app):
    ids = [op["operationId"] for ops in build_spec(app)["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))


async def _ok(request):
    return JSONResponse({})


class Thing(BaseModel):
    id: int


class ThingParams(BaseModel):
    thing_id: str = Field(pattern="^[0-9a-f-]{36}$", description="the thing")
    verbose: bool = False


def _sample_app() -> Starlette:
    return Starlette(
        routes=[
            Mount(
                "/api/v1/centers/{center:int}",
                routes=[
                    api_route("/things/{thing_id}", _ok, methods=["GET", "PUT"], name="thing", op=Operation(
                        summary="A thing", tag="things", permission=frozenset({Role.ADMIN, Role.SUPERVISOR}),
                        params=ThingParams, body=Thing, response=Thing, errors=(404,))),
                ],
            ),
            api_route("/api/v1/ping", _ok, methods=["GET"], name="ping",
                      op=Operation(summary="Ping", tag="meta", response=Thing)),
            api_route("/api/v1/gone", _ok, methods=["DELETE"], name="gone",
                      op=Operation(summary="Gone", tag="meta", permission=ANY_SIGNED_IN, response=Thing, status=204)),
            Route("/healthz", _ok),
        ]
    )


def test_mounts_and_path_parameters_are_rendered():
    spec = build_spec(_sample_app())
    validate(spec)
    assert set(spec["paths"]) == {"/api/v1/centers/{center}/things/{thing_id}", "/api/v1/ping", "/api/v1/gone"}
    operation = spec["paths"]["/api/v1/centers/{center}/things/{thing_id}"]["put"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["center"] == {
        "name": "center", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}
    }
    assert params["thing_id"] == {"name": "thing_id", "in": "path", "required": True, "description": "the thing",
                                  "schema": {"type": "string", "pattern": "^[0-9a-f-]{36}$"}}
    assert params["verbose"] == {"name": "verbose", "in": "query", "required": False,
                                 "schema": {"type": "boolean", "default": False}}
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Thing"}
    assert spec["components"]["schemas"]["Thing"]["properties"]["id"]["type"] == "integer"


def test_protected_operations_carry_security_roles_and_error_responses():
    spec = build_spec(_sample_app())
    operation = spec["paths"]["/api/v1/centers/{center}/things/{thing_id}"]["get"]
    assert operation["security"] == [{"bearerAuth": []}]
    assert "admin" in operation["description"] and "supervisor" in operation["description"]
    assert set(operation["responses"]) == {"200", "400", "401", "403", "404", "413", "415", "422"}
    error_body = operation["responses"]["404"]["content"]["application/json"]["schema"]
    assert error_body == {"$ref": "#/components/schemas/Error"}
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    error = spec["components"]["schemas"]["Error"]["properties"]["error"]
    assert set(error["required"]) == {"code", "message", "fields"}


def test_public_operations_have_no_security_and_ids_are_distinct():
    spec = build_spec(_sample_app())
    ping = spec["paths"]["/api/v1/ping"]["get"]
    assert "security" not in ping and set(ping["responses"]) == {"200"}
    gone = spec["paths"]["/api/v1/gone"]["delete"]
    assert "content" not in gone["responses"]["204"] and "401" in gone["responses"]
    thing = spec["paths"]["/api/v1/centers/{center}/things/{thing_id}"]
    assert {thing["get"]["operationId"], thing["put"]["operationId"]} == {"thing_get", "thing_put"}


def test_unlisted_routes_stay_out_of_the_spec():
    assert "/healthz" not in build_spec(_sample_app())["paths"]
