"""Which roles may do what: one rule, checked by the domain and declared by the routes that expose it."""

from __future__ import annotations

from surge.access.principal import Principal
from surge.access.roles import Role
from surge.kernel.errors import Forbidden
from surge.kernel.i18n import N_

Permission = frozenset[Role]

MANAGE_ACCOUNTS: Permission = frozenset({Role.ADMIN})
READ_AUDIT_LOG: Permission = frozenset({Role.ADMIN})
READ_METRICS: Permission = frozenset({Role.ADMIN})
SEE_ACCOUNT_COUNTS: Permission = frozenset({Role.ADMIN, Role.EMERGENCY_MANAGER})
MANAGE_CLEARINGHOUSES: Permission = frozenset({Role.ADMIN, Role.EMERGENCY_MANAGER})
EDIT_CLEARINGHOUSE: Permission = MANAGE_CLEARINGHOUSES | {Role.CLEARINGHOUSE}  # coordinators: their own only
MANAGE_INCIDENTS: Permission = frozenset({Role.ADMIN, Role.EMERGENCY_MANAGER})
MANAGE_OUTBOX: Permission = frozenset({Role.ADMIN})  # read the outbox, replay dead messages
MAP_COVERAGE: Permission = frozenset({Role.ADMIN, Role.EMERGENCY_MANAGER, Role.SUPERVISOR})
# Register volunteers and donation offers for others: call-takers, their supervisors, phone and partner systems.
TAKE_INTAKE: Permission = frozenset({Role.ADMIN, Role.EMERGENCY_MANAGER, Role.SUPERVISOR, Role.CALL_TAKER,
                                     Role.PHONE_SYSTEM, Role.PARTNER})
# People's needs: those who take calls log them, supervisors import a center's export, and staff and
# emergency management partners read the figures (never the records).
LOG_NEEDS: Permission = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CALL_TAKER})
IMPORT_NEEDS: Permission = frozenset({Role.ADMIN, Role.SUPERVISOR})
READ_NEED_FIGURES: Permission = frozenset({Role.ADMIN, Role.EMERGENCY_MANAGER, Role.SUPERVISOR, Role.CALL_TAKER,
                                           Role.PARTNER})
# Referrals: a clearinghouse handles its own (and sees only those); managers read all and may cancel.
# Call-takers and supervisors do not read referrals: they would show other people's contact details.
HANDLE_REFERRALS: Permission = frozenset({Role.CLEARINGHOUSE})
CANCEL_REFERRALS: Permission = frozenset({Role.ADMIN, Role.EMERGENCY_MANAGER})
READ_REFERRALS: Permission = HANDLE_REFERRALS | CANCEL_REFERRALS


def allows(actor: Principal, permission: Permission) -> bool:
    return actor.role in permission


def require(actor: Principal, permission: Permission) -> Principal:
    if not allows(actor, permission):
        raise Forbidden(N_("You do not have permission to do that."))
    return actor
