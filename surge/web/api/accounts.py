"""API views of the caller and of the audit log."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, Field
from starlette.requests import Request

from surge.access import permissions
from surge.accounts import directory
from surge.access.roles import Role
from surge.kernel.audit import AuditView
from surge.kernel.i18n import N_
from surge.web.api.routing import ANY_SIGNED_IN, Call, Operation, api_route
from surge.web.infra.transaction import in_transaction


class PrincipalOut(BaseModel):
    kind: Literal["user", "token", "system"]
    name: str
    role: Role
    center: str | None
    clearinghouse: str | None


class AuditQuery(BaseModel):
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {"limit": N_("Use a whole number from 1 to 500.")}

    limit: int = Field(default=50, ge=1, le=500, description="how many entries, newest first")


class AuditLogOut(BaseModel):
    entries: list[AuditView]


async def me(request: Request, call: Call) -> PrincipalOut:
    caller = call.principal
    return PrincipalOut(kind=caller.kind, name=caller.name, role=caller.role, center=caller.center_slug,
                        clearinghouse=caller.clearinghouse_slug)


async def audit_log(request: Request, call: Call) -> AuditLogOut:
    entries = await in_transaction(request, directory.audit_log, actor=call.principal, limit=call.params.limit)
    return AuditLogOut(entries=entries)


routes = [
    api_route("/api/v1/me", me, methods=["GET"], name="api_me", op=Operation(
        summary="Who the caller is", tag="accounts", permission=ANY_SIGNED_IN, response=PrincipalOut)),
    api_route("/api/v1/audit", audit_log, methods=["GET"], name="api_audit", op=Operation(
        summary="Recent audit log entries, newest first", tag="accounts", permission=permissions.READ_AUDIT_LOG,
        params=AuditQuery, response=AuditLogOut)),
]
