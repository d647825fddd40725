"""API views of the caller and of the audit log."""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from surge.accounts import directory
from surge.accounts.roles import Role
from surge.db import unit_of_work
from surge.errors import ValidationFailed
from surge.i18n import N_
from surge.web.api import ApiDoc, api_route, query_param
from surge.web.auth import require

PRINCIPAL_SCHEMA = {
    "type": "object",
    "properties": {
        "kind": {"type": "string", "enum": ["user", "token"]},
        "name": {"type": "string"},
        "role": {"type": "string", "enum": [role.value for role in Role]},
        "center": {"type": ["string", "null"]},
        "clearinghouse": {"type": ["string", "null"]},
    },
}

AUDIT_SCHEMA = {
    "type": "object",
    "properties": {
        "entries": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "at": {"type": "string", "format": "date-time"},
                    "actor": {"type": "string"},
                    "action": {"type": "string"},
                    "target_type": {"type": "string"},
                    "target_id": {"type": "string"},
                    "diff": {"type": "object"},
                },
            },
        }
    },
}


async def me(request: Request) -> JSONResponse:
    principal = require(request)
    return JSONResponse({
        "kind": principal.kind,
        "name": principal.name,
        "role": principal.role,
        "center": principal.center_slug,
        "clearinghouse": principal.clearinghouse_slug,
    })


def _limit(raw: str | None) -> int:
    if raw is None:
        return 50
    if not raw.isdigit() or not 1 <= int(raw) <= 500:
        raise ValidationFailed(N_("Some of the information given is not valid."),
                               fields={"limit": N_("Use a whole number from 1 to 500.")})
    return int(raw)


async def audit_log(request: Request) -> JSONResponse:
    require(request, Role.ADMIN)
    limit = _limit(request.query_params.get("limit"))

    def load():
        with unit_of_work(request.app.state.engine) as session:
            return [
                {"id": e.id, "at": e.at.isoformat(), "actor": e.actor, "action": e.action,
                 "target_type": e.target_type, "target_id": e.target_id, "diff": json.loads(e.diff)}
                for e in directory.recent_audit(session, limit=limit)
            ]

    return JSONResponse({"entries": await run_in_threadpool(load)})


routes = [
    api_route("/api/v1/me", me, methods=["GET"], name="api_me",
              doc=ApiDoc(summary="Who the caller is", tag="accounts", roles=(), response_schema=PRINCIPAL_SCHEMA)),
    api_route("/api/v1/audit", audit_log, methods=["GET"], name="api_audit",
              doc=ApiDoc(summary="Recent audit log entries, newest first", tag="accounts", roles=(Role.ADMIN.value,),
                         parameters=(query_param("limit", description="How many entries (1-500, default 50)",
                                                 schema={"type": "integer", "minimum": 1, "maximum": 500}),),
                         response_schema=AUDIT_SCHEMA, error_statuses=(422,))),
]
