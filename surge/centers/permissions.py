"""Who may change which center: admins any, a supervisor only their own."""

from __future__ import annotations

from surge.access import permissions
from surge.access.principal import Principal
from surge.access.roles import Role
from surge.kernel.errors import Forbidden
from surge.kernel.i18n import N_

CREATE_CENTERS = frozenset({Role.ADMIN})
EDIT_CENTERS = frozenset({Role.ADMIN, Role.SUPERVISOR})
# Everyone who works the network may read it; phone systems only post their status and calls, and ask routes.
READ_NETWORK = frozenset(Role) - {Role.PHONE_SYSTEM}
REPORT_FOR_CENTER = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.PHONE_SYSTEM})


def require_own_center(actor: Principal, slug: str, permission: frozenset[Role]) -> None:
    """Admins (and the system) act on any center; the other roles only on the center they are tied to."""
    permissions.require(actor, permission)
    if actor.role != Role.ADMIN and actor.center_slug != slug:
        raise Forbidden(N_("You may only act for your own center."))
