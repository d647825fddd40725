"""People's needs over HTTP: a call-taker's tool logs one need a call, and staff and partners read the figures.

The paths are /need-reports, as /needs already names the clearinghouses' needs lists.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import geo
from pydantic import BaseModel, Field, ValidationInfo, field_validator
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from surge.access.permissions import LOG_NEEDS, READ_NEED_FIGURES
from surge.kernel.i18n import N_, translations
from surge.kernel.idempotency import run_once
from surge.needs import reports, summaries
from surge.needs.categories import CATEGORY_LABELS, UNMET_REASON_LABELS
from surge.needs.models import NeedReportIn, NeedReportOut
from surge.web.api.calls import WindowQuery
from surge.web.api.intake import IncidentPath
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.idempotency_header import idempotency_key, request_hash
from surge.web.infra.templating import language_of
from surge.web.infra.transaction import in_transaction


class SummaryQuery(IncidentPath):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        **WindowQuery.FIELD_MESSAGES, "slug": N_("Use lower-case letters, digits and hyphens only."),
    }

    from_: datetime | None = Field(default=None, alias="from",
                                   description="needs logged from this time (included), with its UTC offset")
    to: datetime | None = Field(default=None, description="needs logged before this time, with its UTC offset")

    _aware = field_validator("from_", "to")(WindowQuery._aware.__func__)

    @field_validator("to")
    @classmethod
    def _after(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("from_")
        if start is not None and value is not None and value <= start:
            raise ValueError(N_("The window must end after it starts."))
        return value


class FiguresOut(BaseModel):
    total: int
    met: int
    unmet: int
    unmet_by_reason: dict[str, int] = Field(description="unmet needs by reason code")


class CategoryFiguresOut(FiguresOut):
    category: str
    label: str


class CountyFiguresOut(FiguresOut):
    county_fips: str
    county: str | None
    state: str | None


class ReasonOut(BaseModel):
    code: str
    label: str


class NeedsSummaryOut(BaseModel):
    incident: str
    start: datetime | None = Field(serialization_alias="from")
    end: datetime | None = Field(serialization_alias="to")
    overall: FiguresOut
    by_category: list[CategoryFiguresOut]
    by_county: list[CountyFiguresOut]
    reasons: list[ReasonOut] = Field(description="the unmet reasons' codes and labels")


def _figures(found: summaries.Figures) -> dict:
    return {"total": found.total, "met": found.met, "unmet": found.unmet, "unmet_by_reason": found.unmet_by_reason}


def _county(fips: str) -> dict:
    try:
        found = geo.county(fips)
        return {"county": found.name, "state": found.state}
    except geo.UnknownCode:
        return {"county": None, "state": None}


def summary_out(found: summaries.NeedsSummary, language: str) -> NeedsSummaryOut:
    gettext = translations(language).gettext
    return NeedsSummaryOut(
        incident=found.incident, start=found.start, end=found.end, overall=FiguresOut(**_figures(found.overall)),
        by_category=[CategoryFiguresOut(category=code, label=gettext(CATEGORY_LABELS.get(code, code)),
                                        **_figures(figures)) for code, figures in found.by_category.items()],
        by_county=[CountyFiguresOut(county_fips=fips, **_county(fips), **_figures(figures))
                   for fips, figures in found.by_county.items()],
        reasons=[ReasonOut(code=code, label=gettext(label)) for code, label in UNMET_REASON_LABELS.items()])


async def log_need(request: Request, call: Call) -> NeedReportOut | Response:
    """Log once; with an Idempotency-Key, a retry answers what the first request answered."""
    arguments = {"incident_slug": call.params.slug, "data": call.body, "actor": call.principal,
                 "now": request.app.state.clock()}
    key = idempotency_key(request)
    if key is None:
        return await in_transaction(request, reports.log_need, **arguments)

    def work(session):
        return 201, reports.log_need(session, **arguments).model_dump(mode="json")

    status, answer = await run_in_threadpool(
        run_once, request.app.state.engine, f"api:need-reports:{call.params.slug}:{call.principal.actor}", key,
        request_hash("POST", request.url.path, call.body.model_dump(mode="json")), work)
    return JSONResponse(answer, status_code=status)


async def needs_summary(request: Request, call: Call) -> NeedsSummaryOut:
    found = await in_transaction(request, summaries.read_summary, incident_slug=call.params.slug,
                                 actor=call.principal, start=call.params.from_, end=call.params.to)
    return summary_out(found, language_of(request))


TAG = "needs"
routes = [
    api_route("/api/v1/incidents/{slug}/need-reports", log_need, methods=["POST"], name="api_need_reports",
              op=Operation(summary="Log a person's need and whether it was met (no personal data; an "
                           "Idempotency-Key header makes a retry answer the first result)", tag=TAG,
                           permission=LOG_NEEDS, params=IncidentPath, body=NeedReportIn, response=NeedReportOut,
                           status=201, errors=(400, 403, 404, 409))),
    api_route("/api/v1/incidents/{slug}/need-reports/summary", needs_summary, methods=["GET"],
              name="api_need_reports_summary",
              op=Operation(summary="Needs and unmet needs by category and by county: total, met, unmet and unmet "
                           "by reason", tag=TAG, permission=READ_NEED_FIGURES, params=SummaryQuery,
                           response=NeedsSummaryOut, errors=(403, 404))),
]
