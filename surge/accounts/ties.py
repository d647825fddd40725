"""A user or token may be tied only to a center or clearinghouse that exists and is active."""

from __future__ import annotations

from sqlmodel import Session

from clearinghouse import registry as clearinghouses
from surge.accounts.models import TiedIn
from surge.centers import registry
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_


def check_known(session: Session, data: TiedIn) -> None:
    if data.center_slug and not registry.exists(session, slug=data.center_slug):
        raise ValidationFailed(N_("There is no active center %(slug)s."), params={"slug": data.center_slug},
                               fields={"center_slug": N_("Unknown center.")})
    if data.clearinghouse_slug and not clearinghouses.exists(session, slug=data.clearinghouse_slug):
        raise ValidationFailed(N_("There is no active clearinghouse %(slug)s."),
                               params={"slug": data.clearinghouse_slug},
                               fields={"clearinghouse_slug": N_("Unknown clearinghouse.")})
