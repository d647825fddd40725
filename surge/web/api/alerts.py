"""Alerts over HTTP: a CAP alert in, the incident it suggests out (nothing is stored)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from surge.access import permissions
from surge.alerts.models import ProposalOut
from surge.incidents import proposals
from surge.kernel.errors import BadRequest, UnsupportedMediaType
from surge.kernel.i18n import N_
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.geometry_workers import CLIENT_GONE, run_for_client

XML_TYPES = ("application/xml", "text/xml", "application/cap+xml")


async def propose(request: Request, call: Call) -> ProposalOut | Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in XML_TYPES:
        raise UnsupportedMediaType(N_("Send the alert as XML with Content-Type: application/xml, text/xml or "
                                      "application/cap+xml."))
    raw = await request.body()  # bounded by the body size limit before it gets here
    if not raw.strip():
        raise BadRequest(N_("The body is empty: send the CAP alert's XML."), code="empty_body")
    answer = await run_for_client(request, proposals.propose, raw, actor=call.principal)
    return Response(status_code=499) if answer is CLIENT_GONE else answer  # 499: nobody is left to read it


routes = [
    api_route("/api/v1/alerts/cap", propose, methods=["POST"], name="api_alert_cap", op=Operation(
        summary="Propose an incident from a CAP 1.2 or 1.1 alert (stores nothing)", tag="alerts",
        permission=permissions.MANAGE_INCIDENTS, response=ProposalOut, raw_body=XML_TYPES, errors=(503,))),
]
