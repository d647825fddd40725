"""Call events from phone systems, and the call figures of a center or the whole network, over HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, Field, ValidationInfo, field_validator
from starlette.requests import Request

from surge.calls import intake, metrics
from surge.calls.models import FIRST_YEAR, LAST_YEAR, MAX_BATCH
from surge.calls.views import CallMetricsOut
from surge.centers.permissions import READ_NETWORK, REPORT_FOR_CENTER
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_, translate
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.templating import language_of
from surge.web.infra.transaction import in_transaction

# Each event is checked on its own (see surge.calls.intake), so the body only has to be a list of objects.
CallEventsIn = Annotated[list[dict[str, Any]], Field(max_length=MAX_BATCH)]


class RejectedOut(BaseModel):
    index: int = Field(description="the event's place in the batch, from 0")
    fields: dict[str, str]


class ReceivedOut(BaseModel):
    received: int
    stored: int
    duplicates: int = Field(description="events already stored (a replay stores nothing)")
    rejected: list[RejectedOut]


class WindowQuery(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "from": N_("Give a time from 1970 to 2200 with its UTC offset, for example 2026-11-27T00:00:00-06:00."),
    }

    from_: datetime | None = Field(default=None, alias="from",
                                   description="start of the window (included), with its UTC offset; "
                                               "default: 24 hours before `to`")
    to: datetime | None = Field(default=None, description="end of the window (excluded), with its UTC offset; "
                                                          "default: now")

    @field_validator("from_", "to")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(N_("Give the time with its UTC offset, for example 2026-11-28T00:00:00-06:00."))
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(N_("Give a time between the years 1970 and 2200."))
        return value

    @field_validator("to")
    @classmethod
    def _after(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("from_")
        if start is not None and value is not None:
            if value <= start:
                raise ValueError(N_("The window must end after it starts."))
            if value - start > metrics.MAX_WINDOW:
                raise ValueError(N_("Ask for at most 400 days at once."))
        return value


class CenterWindowQuery(WindowQuery):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        **WindowQuery.FIELD_MESSAGES, "slug": N_("Use lower-case letters, digits and hyphens only."),
    }

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")


async def post_calls(request: Request, call: Call) -> ReceivedOut:
    answer = await in_transaction(request, intake.receive, events=call.body, actor=call.principal,
                                  now=request.app.state.clock())
    if answer.stored:
        request.app.state.network.invalidate()  # overflows count against agreements' hourly caps at once
        request.app.state.wallboard_calls = None  # and the wallboard counts the new calls
    language = language_of(request)
    rejected = [RejectedOut(index=r.index, fields={name: translate(language, text) for name, text in r.fields.items()})
                for r in answer.rejected]
    return ReceivedOut(received=answer.received, stored=answer.stored, duplicates=answer.duplicates,
                       rejected=rejected)


DEFAULT_WINDOW = timedelta(hours=24)


def window(request: Request, query: WindowQuery) -> dict:
    """[from, to): as given, or the 24 hours up to `to` (now by default)."""
    end = query.to or request.app.state.clock()
    start = query.from_ or end - DEFAULT_WINDOW
    if end <= start:
        raise ValidationFailed(N_("Some of the information given is not valid."),
                               fields={"to": N_("The window must end after it starts.")})
    if end - start > metrics.MAX_WINDOW:
        raise ValidationFailed(N_("Some of the information given is not valid."),
                               fields={"from": N_("Ask for at most 400 days at once.")})
    return {"start": start, "end": end}


def _thresholds(request: Request) -> dict:
    settings = request.app.state.settings
    return {"short_abandon_s": settings.short_abandon_s, "service_level_s": settings.service_level_s}


async def center_metrics(request: Request, call: Call) -> CallMetricsOut:
    return await in_transaction(request, metrics.for_center, slug=call.params.slug,
                                **window(request, call.params), actor=call.principal, **_thresholds(request))


async def network_metrics(request: Request, call: Call) -> CallMetricsOut:
    return await in_transaction(request, metrics.for_network, **window(request, call.params),
                                actor=call.principal, **_thresholds(request))


TAG = "calls"
routes = [
    api_route("/api/v1/calls", post_calls, methods=["POST"], name="api_calls", op=Operation(
        summary="Report call events (a center's phone system or supervisor); each event is checked on its own",
        tag=TAG, permission=REPORT_FOR_CENTER, body=CallEventsIn, response=ReceivedOut)),
    api_route("/api/v1/centers/{slug}/metrics", center_metrics, methods=["GET"], name="api_center_metrics",
              op=Operation(summary="A center's call figures for calls offered in [from, to)", tag=TAG,
                           permission=READ_NETWORK, params=CenterWindowQuery, response=CallMetricsOut,
                           errors=(404,))),
    api_route("/api/v1/metrics", network_metrics, methods=["GET"], name="api_network_metrics", op=Operation(
        summary="The network's call figures for calls offered in [from, to)", tag=TAG, permission=READ_NETWORK,
        params=WindowQuery, response=CallMetricsOut)),
]
