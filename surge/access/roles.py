"""Roles, and which ones are tied to a center or a clearinghouse."""

from __future__ import annotations

from enum import StrEnum

from surge.kernel.i18n import N_


class Role(StrEnum):
    ADMIN = "admin"
    EMERGENCY_MANAGER = "emergency_manager"
    SUPERVISOR = "supervisor"
    CALL_TAKER = "call_taker"
    CLEARINGHOUSE = "clearinghouse"
    PARTNER = "partner"
    PHONE_SYSTEM = "phone_system"


CENTER_ROLES = frozenset({Role.SUPERVISOR, Role.CALL_TAKER, Role.PHONE_SYSTEM})
CLEARINGHOUSE_ROLES = frozenset({Role.CLEARINGHOUSE})

ROLE_LABELS = {
    Role.ADMIN: N_("Administrator"),
    Role.EMERGENCY_MANAGER: N_("Emergency manager"),
    Role.SUPERVISOR: N_("2-1-1 supervisor"),
    Role.CALL_TAKER: N_("Call-taker"),
    Role.CLEARINGHOUSE: N_("Clearinghouse coordinator"),
    Role.PARTNER: N_("Emergency management partner"),
    Role.PHONE_SYSTEM: N_("Phone system"),
}


def check_ties(role: str, center: str | None, clearinghouse: str | None) -> dict[str, str]:
    """Field errors for a role whose center or clearinghouse tie is missing or out of place."""
    errors: dict[str, str] = {}
    if role in CENTER_ROLES and not center:
        errors["center_slug"] = N_("This role must be tied to a center.")
    if role not in CENTER_ROLES and center:
        errors["center_slug"] = N_("Only supervisors, call-takers and phone systems are tied to a center.")
    if role in CLEARINGHOUSE_ROLES and not clearinghouse:
        errors["clearinghouse_slug"] = N_("This role must be tied to a clearinghouse.")
    if role not in CLEARINGHOUSE_ROLES and clearinghouse:
        errors["clearinghouse_slug"] = N_("Only clearinghouse coordinators are tied to a clearinghouse.")
    return errors
