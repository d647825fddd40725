"""The outbox for administrators: messages by state, and replaying a dead one."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, Field
from starlette.requests import Request

from surge.access.permissions import MANAGE_OUTBOX
from surge.kernel.i18n import N_
from surge.kernel.validation import RowId
from surge.outbox import admin
from surge.outbox.admin import MessagePage, MessageView
from surge.outbox.models import State
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.transaction import in_transaction

TAG = "outbox"
MAX_PAGE_SIZE = 200


class OutboxQuery(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "state": N_("Use dead, pending or sent."),
        "page": N_("Use a whole number from 1."),
        "page_size": N_("Use a whole number from 1 to 200."),
    }

    # Literal, not the State enum: a query parameter's schema is written inline, with no shared definitions.
    state: Literal["dead", "pending", "sent"] = Field(default="dead", description="which messages: dead (the default), "
                                                      "pending or sent")
    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)


class MessagePath(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {"id": N_("Use a whole number from 1.")}

    id: RowId


async def list_outbox(request: Request, call: Call) -> MessagePage:
    q = call.params
    return await in_transaction(request, admin.list_messages, actor=call.principal, state=State(q.state), page=q.page,
                                page_size=q.page_size)


async def replay(request: Request, call: Call) -> MessageView:
    return await in_transaction(request, admin.replay, actor=call.principal, message_id=call.params.id,
                                now=request.app.state.clock())


routes = [
    api_route("/api/v1/outbox", list_outbox, methods=["GET"], name="api_outbox", op=Operation(
        summary="Outbox messages in one state, a page at a time (never their bodies)", tag=TAG,
        permission=MANAGE_OUTBOX, params=OutboxQuery, response=MessagePage)),
    api_route("/api/v1/outbox/{id}/replay", replay, methods=["POST"], name="api_outbox_replay", op=Operation(
        summary="Send a dead message again: back to pending, attempts cleared, due now (audited)", tag=TAG,
        permission=MANAGE_OUTBOX, params=MessagePath, response=MessageView, errors=(404, 409))),
]
