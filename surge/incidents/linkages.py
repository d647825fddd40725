"""Linkages between an incident and the clearinghouses it brings in.

Activation links every active clearinghouse that has a protocol for the incident's type, valid that day,
and serves one of its counties; a linkage set by hand stays as it was set. Linked clearinghouses are told
through the outbox in the same transaction, so a rolled-back activation tells nobody. Everything is done in
a handful of statements whatever the number of counties or clearinghouses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel import Session, select

from clearinghouse import protocols
from clearinghouse.models import Clearinghouse
from clearinghouse.protocol_models import ClearinghouseProtocol
from surge.access import permissions
from surge.access.principal import Principal
from surge.incidents import linkage_notices as notices
from surge.incidents import rematch_marks
from surge.incidents.linkage_models import (IncidentLinkage, LinkageIn, LinkageOut, LinkSource, LinkState,
                                            ProposedOut)
from surge.incidents.models import Incident, Status
from surge.kernel import audit
from surge.kernel.errors import Conflict, NotFound
from surge.kernel.i18n import N_, written_for
from surge.outbox import enqueue

# Who hears of a stand-down: everyone still in the incident.
TOLD_OF_STAND_DOWN = (LinkState.LINKED.value, LinkState.PAUSED.value)
# What a linkage needs of its clearinghouse: never the drawn area (it can be large) nor the secret.
_CLEARINGHOUSE_COLUMNS = (Clearinghouse.slug, Clearinghouse.name, Clearinghouse.kind, Clearinghouse.counties,
                          Clearinghouse.area_counties, Clearinghouse.accepts, Clearinghouse.delivery_emails,
                          Clearinghouse.webhook_url, Clearinghouse.languages)


@dataclass(frozen=True)
class _Party:
    """A clearinghouse as linkages see it."""

    slug: str
    name: str
    kind: str
    counties: frozenset[str]
    accepts: dict
    delivery_emails: list[str]
    webhook_url: str | None
    languages: list[str]


def _party(row) -> _Party:
    # Both service-area forms already resolve to counties (the drawn area to the counties it mostly covers),
    # as the incident's area does: comparing county sets is exact at the grain the network works in, and it
    # is a set intersection instead of a polygon one.
    return _Party(slug=row.slug, name=row.name, kind=row.kind, counties=frozenset(row.counties) |
                  frozenset(row.area_counties), accepts=row.accepts, delivery_emails=row.delivery_emails,
                  webhook_url=row.webhook_url, languages=row.languages)


def local_day(moment: datetime, timezone: str) -> date:
    """The incident's own calendar day: protocols run from date to date where the incident is."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def choose(candidates: Iterable[ClearinghouseProtocol], *, incident_type: str, on: date
           ) -> ClearinghouseProtocol | None:
    """The protocol that brings a clearinghouse in: of those that apply, the quickest to acknowledge."""
    applying = [p for p in candidates if protocols.applies(p, incident_type=incident_type, on=on)]
    return min(applying, key=lambda p: (p.ack_hours, p.id), default=None)


def _matches(session: Session, *, incident_type: str, counties: Iterable[str], on: date
             ) -> list[tuple[_Party, ClearinghouseProtocol, list[str]]]:
    """(clearinghouse, protocol, shared counties) for each one activation would link: two queries in all."""
    wanted = frozenset(counties)
    parties = {row.slug: _party(row) for row in session.exec(
        select(*_CLEARINGHOUSE_COLUMNS).where(Clearinghouse.active)).all()}
    by_slug: dict[str, list[ClearinghouseProtocol]] = {}
    for row in session.exec(select(ClearinghouseProtocol).where(
            ClearinghouseProtocol.clearinghouse_slug.in_(list(parties)))).all():
        by_slug.setdefault(row.clearinghouse_slug, []).append(row)
    found = []
    for slug in sorted(by_slug):
        shared = parties[slug].counties & wanted
        chosen = choose(by_slug[slug], incident_type=incident_type, on=on) if shared else None
        if chosen is not None:
            found.append((parties[slug], chosen, sorted(shared)))
    return found


def proposed_linkages(session: Session, *, incident_type: str, counties: Iterable[str], on: date
                      ) -> list[ProposedOut]:
    """The clearinghouses an incident of this type over these counties would link on that day."""
    answer = []
    for party, protocol, shared in _matches(session, incident_type=incident_type, counties=counties, on=on):
        skills, categories = protocols.covered(protocol, party.accepts)
        answer.append(ProposedOut(clearinghouse=party.slug, name=party.name, kind=party.kind,
                                  protocol_id=protocol.id, ack_hours=protocol.ack_hours, skills=skills,
                                  donation_categories=categories, counties=shared))
    return answer


# --- telling clearinghouses -----------------------------------------------------------------------------------


def _facts(incident: Incident) -> notices.IncidentFacts:
    return notices.IncidentFacts(slug=incident.slug, name=incident.name, type=incident.type,
                                 exercise=incident.exercise, level=incident.level, counties=incident.counties,
                                 status=incident.status)


def _in_incident(session: Session, incident_slug: str, states: Iterable[str], only: str | None = None):
    """(linkage, clearinghouse columns, protocol or None) for the incident's linkages in these states: one query."""
    query = (select(IncidentLinkage, *_CLEARINGHOUSE_COLUMNS, ClearinghouseProtocol)
             .join(Clearinghouse, Clearinghouse.slug == IncidentLinkage.clearinghouse_slug)
             .outerjoin(ClearinghouseProtocol, ClearinghouseProtocol.id == IncidentLinkage.protocol_id)
             .where(IncidentLinkage.incident_slug == incident_slug, IncidentLinkage.state.in_(list(states)))
             .order_by(IncidentLinkage.clearinghouse_slug))
    if only is not None:
        query = query.where(IncidentLinkage.clearinghouse_slug == only)
    for row in session.execute(query).all():
        yield row[0], _party(row), row[-1]


def _link_facts(linkage: IncidentLinkage, party: _Party, protocol: ClearinghouseProtocol | None
                ) -> notices.LinkFacts:
    if protocol is not None:
        skills, categories = protocols.covered(protocol, party.accepts)
    else:  # linked by hand without a protocol: it is asked for whatever it accepts
        skills = list(party.accepts.get("skills", []))
        categories = list(party.accepts.get("donation_categories", []))
    return notices.LinkFacts(clearinghouse=party.slug, name=party.name, state=linkage.state, source=linkage.source,
                             protocol_id=linkage.protocol_id, ack_hours=protocol.ack_hours if protocol else None,
                             skills=skills, donation_categories=categories, language=written_for(party.languages))


def _tell(session: Session, incident: Incident, *, event: str, states: Iterable[str], now: datetime,
          only: str | None = None) -> int:
    """Write one notice per linked clearinghouse (each address and its webhook) in one statement."""
    facts = _facts(incident)
    rows: list[dict] = []
    for linkage, party, protocol in _in_incident(session, incident.slug, states, only):
        link = _link_facts(linkage, party, protocol)
        if event == notices.ACTIVATED:
            notice = notices.activated(facts, link)
        else:
            notice = notices.stood_down(facts, link, closed=event == notices.CLOSED)
        key = notices.event_key(event, incident.slug, incident.activated_at, party.slug)
        rows.extend(enqueue.clearinghouse_rows(party, key=key, notice=notice, now=now))
    return enqueue.write(session, rows)


# --- the lifecycle's hooks ----------------------------------------------------------------------------------


def on_activation(session: Session, *, incident: Incident, actor: Principal, now: datetime) -> list[str]:
    """Link what the protocols call for and tell every linked clearinghouse; the slugs newly linked."""
    day = local_day(now, incident.timezone)
    have = set(session.exec(select(IncidentLinkage.clearinghouse_slug).where(
        IncidentLinkage.incident_slug == incident.slug)).all())
    new = [{"incident_slug": incident.slug, "clearinghouse_slug": party.slug, "state": LinkState.LINKED.value,
            "source": LinkSource.PROTOCOL.value, "protocol_id": protocol.id, "changed_at": now,
            "changed_by": actor.actor, "reason": ""}
           for party, protocol, _ in _matches(session, incident_type=incident.type, counties=incident.counties,
                                              on=day)
           if party.slug not in have]  # one set by hand (or linked before) stays as it is
    if new:
        session.execute(insert(IncidentLinkage), new)
        audit.record(session, actor=actor.actor, action="incident.linkages", target_type="incident",
                     target_id=incident.slug, diff={"linked": [row["clearinghouse_slug"] for row in new],
                                                    "source": LinkSource.PROTOCOL.value})
    _tell(session, incident, event=notices.ACTIVATED, states=[LinkState.LINKED.value], now=now)
    rematch_marks.request(session, incident_slug=incident.slug, now=now)  # reactivated: the reserve may fit now
    return [row["clearinghouse_slug"] for row in new]


def on_stand_down(session: Session, *, incident: Incident, now: datetime) -> None:
    """Tell linked and paused clearinghouses that new referrals stop (demobilizing) or that it is over (closed)."""
    event = notices.CLOSED if incident.status == Status.CLOSED else notices.STOOD_DOWN
    _tell(session, incident, event=event, states=TOLD_OF_STAND_DOWN, now=now)


# --- by hand, and questions -----------------------------------------------------------------------------------


def set_state(session: Session, *, incident_slug: str, clearinghouse_slug: str, data: LinkageIn, actor: Principal,
              now: datetime) -> LinkageOut:
    """Link, pause or unlink a clearinghouse by hand, with or without a protocol; audited with the reason."""
    permissions.require(actor, permissions.MANAGE_INCIDENTS)
    incident = session.get(Incident, incident_slug)
    if incident is None:
        raise NotFound(N_("There is no incident %(slug)s."), params={"slug": incident_slug})
    clearinghouse = session.get(Clearinghouse, clearinghouse_slug)
    if clearinghouse is None:
        raise NotFound(N_("There is no clearinghouse %(slug)s."), params={"slug": clearinghouse_slug})
    if incident.status == Status.CLOSED:
        raise Conflict(N_("A closed incident's linkages cannot be changed."))
    if data.state == LinkState.LINKED and not clearinghouse.active:
        # Matching never refers to an inactive clearinghouse: linked, it would only be told of an incident it
        # takes no part in.
        raise Conflict(N_("The clearinghouse %(slug)s is inactive: make it active before linking it."),
                       params={"slug": clearinghouse_slug})
    linkage = session.exec(select(IncidentLinkage).where(IncidentLinkage.incident_slug == incident_slug,
                                                         IncidentLinkage.clearinghouse_slug == clearinghouse_slug)
                           ).first()
    before = None if linkage is None else linkage.state
    if linkage is None:
        chosen = choose(session.exec(select(ClearinghouseProtocol).where(
            ClearinghouseProtocol.clearinghouse_slug == clearinghouse_slug)).all(), incident_type=incident.type,
            on=local_day(now, incident.timezone))
        linkage = IncidentLinkage(incident_slug=incident_slug, clearinghouse_slug=clearinghouse_slug,
                                  protocol_id=chosen.id if chosen else None)
    linkage.state = data.state.value
    linkage.source = LinkSource.MANUAL.value
    linkage.changed_at, linkage.changed_by, linkage.reason = now, actor.actor, data.reason
    session.add(linkage)
    session.flush()
    audit.record(session, actor=actor.actor, action="incident.linkage", target_type="incident",
                 target_id=incident_slug, diff={"clearinghouse": clearinghouse_slug, "from": before,
                                                "to": linkage.state, "reason": data.reason})
    if linkage.state == LinkState.LINKED and incident.status == Status.ACTIVE:
        # Same key as activation's: a clearinghouse already told in this activation is not told twice.
        _tell(session, incident, event=notices.ACTIVATED, states=[LinkState.LINKED.value], now=now,
              only=clearinghouse_slug)
        rematch_marks.request(session, incident_slug=incident_slug, now=now)
    return linkages_of(session, incident_slug=incident_slug, only=clearinghouse_slug)[0]


def linkages_of(session: Session, *, incident_slug: str, only: str | None = None) -> list[LinkageOut]:
    return [LinkageOut(clearinghouse=party.slug, name=party.name, kind=party.kind, state=linkage.state,
                       source=linkage.source, protocol_id=linkage.protocol_id,
                       ack_hours=protocol.ack_hours if protocol else None)
            for linkage, party, protocol in _in_incident(session, incident_slug, list(LinkState), only)]


def state_of(session: Session, *, incident_slug: str, clearinghouse_slug: str) -> tuple[str | None, str | None]:
    """(the incident's status, the linkage's state), None where there is none."""
    row = session.execute(
        select(Incident.status, IncidentLinkage.state)
        .select_from(Incident)
        .outerjoin(IncidentLinkage, (IncidentLinkage.incident_slug == Incident.slug)
                   & (IncidentLinkage.clearinghouse_slug == clearinghouse_slug))
        .where(Incident.slug == incident_slug)).first()
    return (None, None) if row is None else (row[0], row[1])


def accepts_referrals(session: Session, incident_slug: str, clearinghouse_slug: str) -> bool:
    """New referrals go only to a linked clearinghouse while the incident is active: they stop at stand-down."""
    status, state = state_of(session, incident_slug=incident_slug, clearinghouse_slug=clearinghouse_slug)
    return status == Status.ACTIVE and state == LinkState.LINKED
