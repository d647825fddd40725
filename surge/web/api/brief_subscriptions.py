"""Brief subscriptions over HTTP, and each brief's delivery log."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response

from surge.briefs import distribution, subscriptions
from surge.briefs.subscription_schemas import DeliveryListOut, SubscriptionIn, SubscriptionListOut, SubscriptionOut
from surge.kernel.i18n import N_
from surge.kernel.validation import RowId
from surge.web.api.briefs import BriefPath
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.transaction import in_transaction

TAG = "briefs"
MAX_PAGE_SIZE = 200


class SubscriptionQuery(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {"page": N_("Use a whole number from 1."),
                                                "page_size": N_("Use a whole number from 1 to 200.")}

    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)


class SubscriptionPath(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {"id": N_("Use a whole number from 1.")}

    id: RowId


async def list_subscriptions(request: Request, call: Call) -> SubscriptionListOut:
    return await in_transaction(request, subscriptions.list_subscriptions, actor=call.principal,
                                page=call.params.page, page_size=call.params.page_size)


async def create_subscription(request: Request, call: Call) -> SubscriptionOut:
    return await in_transaction(request, subscriptions.create, data=call.body, actor=call.principal,
                                now=request.app.state.clock())


async def delete_subscription(request: Request, call: Call) -> Response:
    await in_transaction(request, subscriptions.delete, subscription_id=call.params.id, actor=call.principal)
    return Response(status_code=204)


async def list_deliveries(request: Request, call: Call) -> DeliveryListOut:
    return await in_transaction(request, distribution.deliveries, slug=call.params.slug, number=call.params.number,
                                actor=call.principal)


BASE = "/api/v1/brief-subscriptions"
routes = [
    api_route(BASE, list_subscriptions, methods=["GET"], name="api_brief_subscriptions", op=Operation(
        summary="Brief subscriptions: every one for managers, a partner's own for a partner", tag=TAG,
        permission=subscriptions.SUBSCRIBE, params=SubscriptionQuery, response=SubscriptionListOut)),
    api_route(BASE, create_subscription, methods=["POST"], name="api_brief_subscription_create", op=Operation(
        summary="Subscribe to an incident's briefs or an area's (409 when the subscriber has it already)", tag=TAG,
        permission=subscriptions.SUBSCRIBE, body=SubscriptionIn, response=SubscriptionOut, status=201,
        errors=(404, 409))),
    api_route(f"{BASE}/{{id}}", delete_subscription, methods=["DELETE"], name="api_brief_subscription_delete",
              op=Operation(summary="End a subscription (a partner: its own)", tag=TAG,
                           permission=subscriptions.SUBSCRIBE, params=SubscriptionPath, response=SubscriptionOut,
                           status=204, errors=(404,))),
    api_route("/api/v1/incidents/{slug}/briefs/{number}/deliveries", list_deliveries, methods=["GET"],
              name="api_brief_deliveries", op=Operation(
                  summary="Who a brief was e-mailed to, and how each e-mail fares in the outbox", tag=TAG,
                  permission=distribution.READ_DELIVERIES, params=BriefPath, response=DeliveryListOut,
                  errors=(404,))),
]
