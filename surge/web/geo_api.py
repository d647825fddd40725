"""Geography over HTTP: locate a caller, describe a county, find the counties a shape covers."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from surge import geography
from surge.accounts.roles import Role
from surge.errors import ValidationFailed
from surge.i18n import N_
from surge.web.api import ApiDoc, api_route, query_param, read_json
from surge.web.auth import require

ALTERNATIVE = {"type": "object", "properties": {
    "county_fips": {"type": "string"}, "county": {"type": "string"}, "state": {"type": "string"},
    "ratio": {"type": "number"}}}
LOCATION_SCHEMA = {
    "type": "object",
    "required": ["county_fips", "county", "state", "lat", "lon", "alternatives"],
    "properties": {
        "county_fips": {"type": "string", "pattern": "^[0-9]{5}$"},
        "county": {"type": "string"},
        "state": {"type": "string"},
        "lat": {"type": ["number", "null"]},
        "lon": {"type": ["number", "null"]},
        "alternatives": {"type": "array", "items": ALTERNATIVE},
        "source": {"type": "string", "enum": ["zip", "county", "point"]},
        "point_source": {"type": ["string", "null"]},
    },
}
COUNTY_SCHEMA = {"type": "object", "properties": {
    "county_fips": {"type": "string"}, "county": {"type": "string"}, "state": {"type": "string"},
    "state_name": {"type": "string"}, "population": {"type": ["integer", "null"]},
    "neighbours": {"type": "array", "items": {"type": "string"}}, "has_boundary": {"type": "boolean"},
    "geometry": {"type": ["object", "null"]}}}
COVERAGE_SCHEMA = {"type": "object", "properties": {
    "repaired": {"type": "boolean"},
    "counties": {"type": "array", "items": {"type": "object", "properties": {
        "county_fips": {"type": "string"}, "county": {"type": "string"}, "state": {"type": "string"},
        "fraction": {"type": "number"}}}}}}
_POSITION = {"type": "array", "minItems": 2, "maxItems": 3,
             "prefixItems": [{"type": "number", "minimum": -180, "maximum": 180},
                             {"type": "number", "minimum": -90, "maximum": 90}]}
_RING = {"type": "array", "minItems": 4, "items": _POSITION, "description": "closed: the last position repeats the first"}
_POLYGON = {"type": "object", "required": ["type", "coordinates"],
            "properties": {"type": {"const": "Polygon"}, "coordinates": {"type": "array", "minItems": 1, "items": _RING}}}
_MULTIPOLYGON = {"type": "object", "required": ["type", "coordinates"],
                 "properties": {"type": {"const": "MultiPolygon"},
                                "coordinates": {"type": "array", "minItems": 1, "items": _POLYGON["properties"]["coordinates"]}}}
_FEATURE = {"type": "object", "required": ["type", "geometry"],
            "properties": {"type": {"const": "Feature"}, "geometry": {"oneOf": [_POLYGON, _MULTIPOLYGON]}}}
GEOJSON_SCHEMA = {
    "description": "GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection (lon, lat; at most 10,000 vertices)",
    "oneOf": [_POLYGON, _MULTIPOLYGON, _FEATURE,
              {"type": "object", "required": ["type", "features"],
               "properties": {"type": {"const": "FeatureCollection"},
                              "features": {"type": "array", "minItems": 1, "items": _FEATURE}}}],
}
FIPS = {"type": "string", "pattern": "^[0-9]{5}$"}


async def locate(request: Request) -> JSONResponse:
    # An empty value (?county=) counts as not given, as HTML forms send every field.
    query = {name: request.query_params.get(name) or None for name in ("zip", "county", "lat", "lon")}
    if geography.is_warm():
        location = geography.locate(**query)  # microseconds: a thread hop would cost more than the lookup
    else:
        location = await run_in_threadpool(lambda: geography.locate(**query))
    return JSONResponse(location.to_dict())


async def county(request: Request) -> JSONResponse:
    with_geometry = request.query_params.get("geometry") in ("1", "true")
    details = await run_in_threadpool(geography.county_details, request.path_params["fips"], with_geometry=with_geometry)
    return JSONResponse(details)


def _fraction(raw: str | None) -> float:
    if raw is None:
        return 0.01
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 1:
        raise ValidationFailed(N_("Some of the information given is not valid."),
                               fields={"min_fraction": N_("Use a number greater than 0 and at most 1.")})
    return value


async def coverage(request: Request) -> JSONResponse:
    require(request, Role.ADMIN, Role.EMERGENCY_MANAGER, Role.SUPERVISOR)
    min_fraction = _fraction(request.query_params.get("min_fraction"))
    shape = await read_json(request)
    result = await run_in_threadpool(geography.coverage, shape, min_fraction=min_fraction)
    return JSONResponse(result)


routes = [
    api_route("/api/v1/geo/locate", locate, methods=["GET"], name="geo_locate", doc=ApiDoc(
        summary="Resolve a ZIP code, county FIPS code or point to a county", tag="geography",
        parameters=(
            query_param("zip", description="5-digit ZIP code (ZIP+4 accepted)",
                        schema={"type": "string", "pattern": "^[0-9]{5}(-[0-9]{4})?$"}),
            query_param("county", description="5-digit county FIPS code", schema=FIPS),
            query_param("lat", description="latitude, with lon", schema={"type": "number"}),
            query_param("lon", description="longitude, with lat", schema={"type": "number"}),
        ),
        response_schema=LOCATION_SCHEMA, error_statuses=(404, 422))),
    api_route("/api/v1/geo/counties/{fips}", county, methods=["GET"], name="geo_county", doc=ApiDoc(
        summary="A county's name, state, population and neighbours", tag="geography",
        parameters=({"name": "fips", "in": "path", "required": True, "description": "5-digit county FIPS code",
                     "schema": FIPS},
                    query_param("geometry", description="1 to include the boundary as GeoJSON",
                                schema={"type": "string", "enum": ["0", "1", "true", "false"]})),
        response_schema=COUNTY_SCHEMA, error_statuses=(404, 422))),
    api_route("/api/v1/geo/coverage", coverage, methods=["POST"], name="geo_coverage", doc=ApiDoc(
        summary="The counties a GeoJSON polygon covers", tag="geography",
        roles=(Role.ADMIN.value, Role.EMERGENCY_MANAGER.value, Role.SUPERVISOR.value),
        parameters=(query_param("min_fraction", description="share of a county's area that must be inside (default 0.01)",
                                schema={"type": "number", "exclusiveMinimum": 0, "maximum": 1}),),
        request_schema=GEOJSON_SCHEMA, response_schema=COVERAGE_SCHEMA, error_statuses=(400, 413, 415, 422))),
]
