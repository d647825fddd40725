"""Live load reported by a center's phone system (or its supervisor): one row per center, overwritten."""

from __future__ import annotations

from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.centers import registry
from surge.centers.models import CenterStatus, StatusIn
from surge.centers.permissions import READ_NETWORK, REPORT_FOR_CENTER, require_own_center
from surge.centers.views import StatusOut
from surge.kernel.clock import utcnow
from surge.kernel.db import upsert_insert
from surge.kernel.errors import NotFound
from surge.kernel.i18n import N_


def report(session: Session, *, slug: str, data: StatusIn, actor: Principal) -> StatusOut:
    require_own_center(actor, slug, REPORT_FOR_CENTER)
    registry.find(session, slug, active_only=True)
    values = {**data.model_dump(), "reported_at": utcnow(), "reported_by": actor.actor[:400]}
    # One statement, no read first: phone systems post every few seconds and must never queue on a lock.
    statement = upsert_insert(session, CenterStatus.__table__).values(center_slug=slug, **values)
    session.execute(statement.on_conflict_do_update(index_elements=["center_slug"], set_=values))
    return StatusOut(center=slug, **{k: v for k, v in values.items() if k != "reported_by"})


def latest(session: Session) -> list[CenterStatus]:
    """Every center's last report, for routing and the wallboard (no permission: callers check theirs)."""
    return list(session.exec(select(CenterStatus)).all())


def get(session: Session, *, slug: str, actor: Principal) -> StatusOut:
    permissions.require(actor, READ_NETWORK | REPORT_FOR_CENTER)
    if actor.role not in READ_NETWORK:
        require_own_center(actor, slug, REPORT_FOR_CENTER)
    registry.find(session, slug)
    row = session.get(CenterStatus, slug)
    if row is None:
        raise NotFound(N_("The center %(slug)s has not reported its status yet."), params={"slug": slug})
    return StatusOut.of(row)
