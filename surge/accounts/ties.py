"""A user or token may be tied only to a center that exists and is active."""

from __future__ import annotations

from sqlmodel import Session

from surge.accounts.models import TiedIn
from surge.centers import registry
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_


def check_known(session: Session, data: TiedIn) -> None:
    if data.center_slug and not registry.exists(session, slug=data.center_slug):
        raise ValidationFailed(N_("There is no active center %(slug)s."), params={"slug": data.center_slug},
                               fields={"center_slug": N_("Unknown center.")})
