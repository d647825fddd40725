"""Needs lists in an incident: who may read and change a clearinghouse's list, and the incident's whole picture
(what is needed now, what is not, what is full) as a public page shows it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlmodel import Session, select

from clearinghouse import needs
from clearinghouse.models import Clearinghouse
from clearinghouse.needs_models import NeedsIn, NeedsOut, NeedStatus
from surge.access import permissions
from surge.access.principal import Principal
from surge.access.roles import Role
from surge.centers.permissions import READ_NETWORK
from surge.incidents import rematch_marks
from surge.incidents.linkage_models import IncidentLinkage, LinkState
from surge.incidents.models import Incident
from surge.kernel.errors import Conflict, Forbidden, NotFound
from surge.kernel.i18n import N_

IN_INCIDENT = (LinkState.LINKED.value, LinkState.PAUSED.value)


def require_may_change(actor: Principal, clearinghouse_slug: str) -> None:
    if actor.role == Role.CLEARINGHOUSE:
        if actor.clearinghouse_slug != clearinghouse_slug:
            raise Forbidden(N_("You may only change your own clearinghouse's needs list."))
        return
    permissions.require(actor, permissions.MANAGE_INCIDENTS)


def _check_scope(session: Session, incident_slug: str, clearinghouse_slug: str) -> str | None:
    """404 for an unknown incident or clearinghouse; the linkage's state, or None."""
    if session.get(Incident, incident_slug) is None:
        raise NotFound(N_("There is no incident %(slug)s."), params={"slug": incident_slug})
    if session.get(Clearinghouse, clearinghouse_slug) is None:
        raise NotFound(N_("There is no clearinghouse %(slug)s."), params={"slug": clearinghouse_slug})
    return session.exec(select(IncidentLinkage.state).where(
        IncidentLinkage.incident_slug == incident_slug,
        IncidentLinkage.clearinghouse_slug == clearinghouse_slug)).first()


def put_list(session: Session, *, incident_slug: str, clearinghouse_slug: str, data: NeedsIn, actor: Principal,
             now: datetime) -> NeedsOut:
    require_may_change(actor, clearinghouse_slug)
    if _check_scope(session, incident_slug, clearinghouse_slug) not in IN_INCIDENT:
        raise Conflict(N_("%(clearinghouse)s is not linked to %(incident)s, so it has no needs list there."),
                       params={"clearinghouse": clearinghouse_slug, "incident": incident_slug})
    answer = needs.replace(session, incident_slug=incident_slug, clearinghouse_slug=clearinghouse_slug, data=data,
                           actor=actor.actor, now=now)
    rematch_marks.request(session, incident_slug=incident_slug, now=now)  # a new need may fit someone waiting
    return answer


def get_list(session: Session, *, incident_slug: str, clearinghouse_slug: str, actor: Principal) -> NeedsOut:
    permissions.require(actor, READ_NETWORK)
    _check_scope(session, incident_slug, clearinghouse_slug)
    return needs.get(session, incident_slug=incident_slug, clearinghouse_slug=clearinghouse_slug)


class NeedHolder(BaseModel):
    clearinghouse: str
    quantity: int | None
    note: str


class NeedSummary(BaseModel):
    code: str
    label: str
    clearinghouses: list[NeedHolder]


class ClearinghouseNeeds(BaseModel):
    clearinghouse: str
    name: str
    state: LinkState
    cash_url: str | None = Field(description="where to give money, which is best")
    needed: list[str]
    not_needed: list[str]
    full: list[str]


class PublicNeedsOut(BaseModel):
    incident: str
    name: str
    status: str
    needed: list[NeedSummary] = Field(description="needed now by at least one linked clearinghouse")
    full: list[NeedSummary] = Field(description="full where asked, and needed by none")
    not_needed: list[NeedSummary] = Field(description="not needed, and neither needed nor full anywhere")
    clearinghouses: list[ClearinghouseNeeds]


def public_needs(session: Session, incident_slug: str) -> PublicNeedsOut:
    """The incident's needs across its linked (and paused) clearinghouses: plain data for the public page."""
    incident = session.get(Incident, incident_slug)
    if incident is None:
        raise NotFound(N_("There is no incident %(slug)s."), params={"slug": incident_slug})
    linked = session.execute(
        select(IncidentLinkage.clearinghouse_slug, IncidentLinkage.state, Clearinghouse.name, Clearinghouse.accepts)
        .join(Clearinghouse, Clearinghouse.slug == IncidentLinkage.clearinghouse_slug)
        .where(IncidentLinkage.incident_slug == incident_slug, IncidentLinkage.state.in_(IN_INCIDENT))
        .order_by(IncidentLinkage.clearinghouse_slug)).all()
    lists = needs.lists_for(session, incident_slug=incident_slug, clearinghouses=[row[0] for row in linked])
    by_status: dict[str, dict[str, list[NeedHolder]]] = {status.value: {} for status in NeedStatus}
    per_clearinghouse = []
    for slug, state, name, accepts in linked:
        mine: dict[str, list[str]] = {status.value: [] for status in NeedStatus}
        for item in lists[slug]:
            mine[item.status].append(item.code)
            by_status[item.status].setdefault(item.code, []).append(
                NeedHolder(clearinghouse=slug, quantity=item.quantity, note=item.note))
        per_clearinghouse.append(ClearinghouseNeeds(
            clearinghouse=slug, name=name, state=state, cash_url=accepts.get("cash_url"),
            needed=mine[NeedStatus.NEEDED], not_needed=mine[NeedStatus.NOT_NEEDED], full=mine[NeedStatus.FULL]))
    # A code someone needs is needed, whatever others say; full beats not needed.
    needed = by_status[NeedStatus.NEEDED]
    full = {code: who for code, who in by_status[NeedStatus.FULL].items() if code not in needed}
    not_needed = {code: who for code, who in by_status[NeedStatus.NOT_NEEDED].items()
                  if code not in needed and code not in full}

    def summaries(found: dict[str, list[NeedHolder]]) -> list[NeedSummary]:
        return [NeedSummary(code=code, label=needs.LABELS.get(code, code), clearinghouses=who)
                for code, who in sorted(found.items(), key=lambda pair: needs.ORDER.get(pair[0], len(needs.ORDER)))]

    return PublicNeedsOut(incident=incident.slug, name=incident.name, status=incident.status,
                          needed=summaries(needed), full=summaries(full), not_needed=summaries(not_needed),
                          clearinghouses=per_clearinghouse)
