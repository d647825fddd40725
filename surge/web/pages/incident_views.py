"""What the incident pages show, gathered in one transaction each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from clearinghouse.models import Clearinghouse
from surge.access.principal import Principal
from surge.centers.models import Center
from surge.incidents import lifecycle, linkages, needs_lists, preview as activation_preview, views
from surge.incidents.linkage_models import IncidentDetailOut
from surge.incidents.models import IncidentFields, IncidentOut
from surge.incidents.needs_lists import PublicNeedsOut


@dataclass(frozen=True)
class Preview:
    found: activation_preview.PreviewOut
    center_names: dict[str, str]


@dataclass(frozen=True)
class Dashboard:
    incident: IncidentDetailOut
    needs: PublicNeedsOut
    others: list[tuple[str, str]]  # (slug, name) of the active clearinghouses not yet in the incident


@dataclass(frozen=True)
class PublicStatus:
    incident: IncidentOut
    needs: PublicNeedsOut
    names: dict[str, str]  # clearinghouse slug -> name
    places: list[Clearinghouse]  # the linked clearinghouses, where to volunteer or give


def _center_names(session: Session) -> dict[str, str]:
    return dict(session.exec(select(Center.slug, Center.name)).all())


def preview(session: Session, *, data: IncidentFields, area: dict, counties: list[str], actor: Principal,
            now: datetime) -> Preview:
    found = activation_preview.preview(session, data=data, area=area, counties=counties, actor=actor, now=now)
    return Preview(found=found, center_names=_center_names(session))


def dashboard(session: Session, *, slug: str, actor: Principal) -> Dashboard:
    incident = views.detail(session, slug=slug, actor=actor)
    taken = {link.clearinghouse for link in incident.linkages}
    others = [(row.slug, row.name) for row in session.exec(
        select(Clearinghouse).where(Clearinghouse.active).order_by(Clearinghouse.name)).all() if row.slug not in taken]
    return Dashboard(incident=incident, needs=needs_lists.public_needs(session, slug), others=others)


def public_status(session: Session, *, slug: str) -> PublicStatus:
    """Only an active incident has a public page; any other answers 404, as an unknown one does."""
    incident = lifecycle.public(session, slug=slug)
    needs = needs_lists.public_needs(session, slug)
    slugs = [item.clearinghouse for item in needs.clearinghouses if item.state == "linked"]
    places = session.exec(select(Clearinghouse).where(Clearinghouse.slug.in_(slugs)).order_by(Clearinghouse.name)
                          ).all() if slugs else []
    return PublicStatus(incident=incident, needs=needs, names={c.clearinghouse: c.name for c in needs.clearinghouses},
                        places=list(places))


set_linkage = linkages.set_state
