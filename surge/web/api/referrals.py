"""Referrals over HTTP: a clearinghouse's queue and its answers; managers' view across the network."""

from __future__ import annotations

from starlette.requests import Request

from surge.access.permissions import CANCEL_REFERRALS, HANDLE_REFERRALS, READ_REFERRALS
from surge.intake import referrals
from surge.intake.referral_forms import ActionIn, ReferralOut, ReferralPage, ReferralPath, ReferralQuery
from surge.intake.referral_states import Action
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.transaction import in_transaction

TAG = "referrals"


async def list_referrals(request: Request, call: Call) -> ReferralPage:
    q = call.params
    return await in_transaction(request, referrals.page, actor=call.principal, incident=q.incident, state=q.state,
                                clearinghouse=q.clearinghouse, limit=q.limit, offset=q.offset)


async def read_referral(request: Request, call: Call) -> ReferralOut:
    return await in_transaction(request, referrals.get, referral_id=call.params.id, actor=call.principal)


def _handler(action: Action):
    async def handle(request: Request, call: Call) -> ReferralOut:
        return await in_transaction(request, referrals.act, referral_id=call.params.id, action=action,
                                    actor=call.principal, now=request.app.state.clock(), reason=call.body.reason,
                                    why=call.body.why)
    return handle


SUMMARIES = {
    Action.ACKNOWLEDGE: "Acknowledge a referral (its clearinghouse)",
    Action.ACCEPT: "Accept a referral: the answer carries the person's contact details (audited)",
    Action.DECLINE: "Decline a referral, saying why: the person goes to the next clearinghouse",
    Action.FULFILL: "Mark an accepted referral fulfilled",
    Action.RELEASE: "Release a referral (expired, no_show or cancelled), saying why; managers may cancel any",
}

routes = [
    api_route("/api/v1/referrals", list_referrals, methods=["GET"], name="api_referrals", op=Operation(
        summary="Referrals, newest first, a page at a time (a clearinghouse sees only its own)", tag=TAG,
        permission=READ_REFERRALS, params=ReferralQuery, response=ReferralPage)),
    api_route("/api/v1/referrals/{id}", read_referral, methods=["GET"], name="api_referral", op=Operation(
        summary="One referral; contact details once accepted (each view audited)", tag=TAG,
        permission=READ_REFERRALS, params=ReferralPath, response=ReferralOut, errors=(404,))),
    *[api_route(f"/api/v1/referrals/{{id}}/{action.value}", _handler(action), methods=["POST"],
                name=f"api_referral_{action.value}", op=Operation(
                    summary=SUMMARIES[action], tag=TAG,
                    permission=HANDLE_REFERRALS | CANCEL_REFERRALS if action is Action.RELEASE else HANDLE_REFERRALS,
                    params=ReferralPath, body=ActionIn, response=ReferralOut, errors=(404, 409)))
      for action in Action],
]
