"""Location lookups over HTTP: locate a caller, describe a county, find the counties a shape covers."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from surge.access import permissions
from surge.locations import lookups
from surge.locations.models import CountyIn, CountyOut, CoverageIn, CoverageOut, GeoJsonArea, LocateIn, LocationOut
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.geometry_workers import CLIENT_GONE, run_for_client


async def locate(request: Request, call: Call) -> LocationOut:
    if lookups.is_warm():
        return lookups.locate(call.params)  # microseconds: a thread hop would cost more than the lookup
    return await run_in_threadpool(lookups.locate, call.params)


async def county(request: Request, call: Call) -> CountyOut:
    return await run_in_threadpool(lookups.county_details, call.params)


async def coverage(request: Request, call: Call) -> CoverageOut | Response:
    shape = call.body.model_dump(mode="json")
    answer = await run_for_client(request, lookups.coverage, shape, min_fraction=call.params.min_fraction,
                                  actor=call.principal)
    return Response(status_code=499) if answer is CLIENT_GONE else answer  # 499: nobody is left to read it


routes = [
    api_route("/api/v1/geo/locate", locate, methods=["GET"], name="geo_locate", op=Operation(
        summary="Resolve a ZIP code, county FIPS code or point to a county", tag="geography",
        params=LocateIn, response=LocationOut, errors=(404,), rate_limited=True)),
    api_route("/api/v1/geo/counties/{fips}", county, methods=["GET"], name="geo_county", op=Operation(
        summary="A county's name, state, population and neighbours", tag="geography",
        params=CountyIn, response=CountyOut, errors=(404,), rate_limited=True)),
    api_route("/api/v1/geo/coverage", coverage, methods=["POST"], name="geo_coverage", op=Operation(
        summary="The counties a GeoJSON polygon covers", tag="geography", permission=permissions.MAP_COVERAGE,
        params=CoverageIn, body=GeoJsonArea, response=CoverageOut, errors=(503,))),
]
