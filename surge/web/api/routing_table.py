"""Routing tables for phone systems and the network's coverage report over HTTP."""

from __future__ import annotations

import re
from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel, Field, field_validator
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from surge.centers.permissions import READ_NETWORK
from surge.kernel.i18n import N_
from surge.routing import exports
from surge.routing.coverage_report import CoverageReport, coverage_report
from surge.routing.table import EARLIEST_YEAR, LATEST_YEAR, RoutingTable, scheduled_table
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.transaction import in_transaction

# "2026-11-27T09:00:00+01:00" sent unencoded in a query string arrives with a space for its "+".
_SPACED_OFFSET = re.compile(r"^(.*T[0-9:.]+) ([0-9]{2}:?[0-9]{2})$")
ISO_TIME = N_("Give the time as ISO 8601 with its UTC offset, for example 2026-11-27T09:00:00-06:00.")


class TableQuery(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "state": N_("Use a two-letter state code such as TX, or its two-digit FIPS code such as 48."),
    }

    state: str | None = Field(default=None, min_length=2, max_length=2,
                              description="USPS code (TX) or two-digit FIPS code (48); every state when left out")
    at: datetime | None = Field(default=None, description="ISO 8601 with its UTC offset; now when left out")

    @field_validator("at", mode="before")
    @classmethod
    def _iso(cls, value):
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(_SPACED_OFFSET.sub(r"\1+\2", value.strip()))
            except ValueError:
                raise ValueError(ISO_TIME) from None
        return value

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            raise ValueError(ISO_TIME)
        if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise ValueError(N_("Give a time between the years 1900 and 2199."))
        return value


class TableRowOut(BaseModel):
    zip: str
    county_fips: str
    targets: list[str] = Field(description="center slugs, primary first")


class RoutingTableOut(BaseModel):
    state: str | None
    at: datetime
    columns: list[str]
    rows: list[TableRowOut]


async def _table(request: Request, call: Call) -> RoutingTable:
    settings = request.app.state.settings
    at = call.params.at or request.app.state.clock()
    return await in_transaction(request, scheduled_table, state=call.params.state, at=at,
                                national_fallback=settings.national_fallback, actor=call.principal)


def _filename(table: RoutingTable, suffix: str) -> dict[str, str]:
    name = f"surge-routing-{(table.state or 'us').lower()}{suffix}"
    return {"content-disposition": f'attachment; filename="{name}"'}


async def table_csv(request: Request, call: Call) -> Response:
    table = await _table(request, call)
    return StreamingResponse(exports.csv_chunks(table), media_type="text/csv; charset=utf-8",
                             headers=_filename(table, ".csv"))


async def table_json(request: Request, call: Call) -> Response:
    table = await _table(request, call)
    text = await run_in_threadpool(exports.to_json, table)
    return Response(text, media_type="application/json")


async def table_kamailio(request: Request, call: Call) -> Response:
    table = await _table(request, call)
    data = await run_in_threadpool(exports.kamailio_tarball, table)
    return Response(data, media_type="application/gzip", headers=_filename(table, "-kamailio.tar.gz"))


async def table_asterisk(request: Request, call: Call) -> Response:
    table = await _table(request, call)
    text = await run_in_threadpool(exports.asterisk_dialplan, table)
    return Response(text, media_type="text/plain; charset=utf-8", headers=_filename(table, "-extensions.conf"))


async def coverage(request: Request, call: Call) -> CoverageReport:
    at = call.params.at or request.app.state.clock()
    return await in_transaction(request, coverage_report, state=call.params.state, at=at,
                                national_fallback=request.app.state.settings.national_fallback,
                                actor=call.principal)


TAG = "routing"
_TABLE = "One row per ZIP code (a ZIP code spanning counties routes by its primary county), by schedules alone"
routes = [
    api_route("/api/v1/routing-table.csv", table_csv, methods=["GET"], name="api_routing_table_csv", op=Operation(
        summary=f"{_TABLE}: CSV zip,county_fips,primary,backup_1,...", tag=TAG, permission=READ_NETWORK,
        params=TableQuery, response=RoutingTableOut, media_type="text/csv")),
    api_route("/api/v1/routing-table.json", table_json, methods=["GET"], name="api_routing_table_json",
              op=Operation(summary=f"{_TABLE}: JSON", tag=TAG, permission=READ_NETWORK, params=TableQuery,
                           response=RoutingTableOut)),
    api_route("/api/v1/routing-table.kamailio", table_kamailio, methods=["GET"], name="api_routing_table_kamailio",
              op=Operation(summary=f"{_TABLE}: Kamailio dispatcher list, htable data and kamailio.cfg (.tar.gz)",
                           tag=TAG, permission=READ_NETWORK, params=TableQuery, response=RoutingTableOut,
                           media_type="application/gzip")),
    api_route("/api/v1/routing-table.asterisk", table_asterisk, methods=["GET"], name="api_routing_table_asterisk",
              op=Operation(summary=f"{_TABLE}: Asterisk dialplan include", tag=TAG, permission=READ_NETWORK,
                           params=TableQuery, response=RoutingTableOut, media_type="text/plain")),
    api_route("/api/v1/coverage", coverage, methods=["GET"], name="api_coverage", op=Operation(
        summary="Counties without a home center or overflow partner, uncovered hours of the week, overlaps",
        tag=TAG, permission=READ_NETWORK, params=TableQuery, response=CoverageReport)),
]
