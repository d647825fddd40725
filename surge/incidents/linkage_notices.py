"""What a linked clearinghouse is told when an incident starts, stands down or closes: pure, from plain data.

The text is written in the clearinghouse's language from translatable messages; the webhook payload carries the
same facts for a partner's system.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from surge.kernel.i18n import DEFAULT_LANGUAGE, N_, translate
from surge.outbox.enqueue import Notice

ACTIVATED, STOOD_DOWN, CLOSED = "incident.activated", "incident.stood_down", "incident.closed"


@dataclass(frozen=True)
class IncidentFacts:
    slug: str
    name: str
    type: str
    exercise: bool
    level: int
    counties: list[str]
    status: str

    def payload(self) -> dict:
        return {"slug": self.slug, "name": self.name, "type": self.type, "exercise": self.exercise,
                "level": self.level, "counties": self.counties, "status": self.status}


@dataclass(frozen=True)
class LinkFacts:
    clearinghouse: str
    name: str
    state: str
    source: str
    protocol_id: int | None
    ack_hours: int | None
    skills: list[str]
    donation_categories: list[str]
    language: str = DEFAULT_LANGUAGE  # what the clearinghouse is written to in

    def payload(self) -> dict:
        return {"clearinghouse": self.clearinghouse, "state": self.state, "source": self.source,
                "protocol_id": self.protocol_id, "ack_hours": self.ack_hours, "skills": self.skills,
                "donation_categories": self.donation_categories}


def event_key(event: str, incident_slug: str, cycle: datetime, clearinghouse: str) -> str:
    """One notice per event, activation cycle and clearinghouse: a repeat writes nothing, a new cycle tells again."""
    return f"incident:{incident_slug}:{event}:{cycle.isoformat()}:{clearinghouse}"


def _title(_t, incident: IncidentFacts, message: str) -> str:
    title = _t(message, name=incident.name, type=incident.type, level=incident.level)
    return _t(N_("EXERCISE: %(title)s"), title=title) if incident.exercise else title


def _link_path(_t, incident: IncidentFacts) -> str:
    return _t(N_("Details: %(path)s"), path=f"/incidents/{incident.slug}")


def _writer(link: LinkFacts):
    return lambda message, **params: translate(link.language, message, **params)


def activated(incident: IncidentFacts, link: LinkFacts) -> Notice:
    _t = _writer(link)
    lines = [_t(N_("%(name)s (%(type)s, level %(level)s) is active in %(count)s counties, and %(clearinghouse)s "
                   "is linked to it."), name=incident.name, type=incident.type, level=incident.level,
                count=len(incident.counties), clearinghouse=link.name)]
    if incident.exercise:
        lines.append(_t(N_("This is an exercise.")))
    none = _t(N_("none"))
    lines.append(_t(N_("Skills covered: %(skills)s. Donation categories covered: %(categories)s."),
                    skills=", ".join(link.skills) or none, categories=", ".join(link.donation_categories) or none))
    if link.ack_hours is not None:
        lines.append(_t(N_("Acknowledge each referral within %(hours)s hours."), hours=link.ack_hours))
    else:
        lines.append(_t(N_("No protocol sets a deadline: acknowledge each referral as soon as you can.")))
    lines.append(_link_path(_t, incident))
    return Notice(topic=ACTIVATED, subject=_title(_t, incident, N_("%(name)s activated (%(type)s, level %(level)s)")),
                  text="\n\n".join(lines), payload={"incident": incident.payload(), "linkage": link.payload()})


def stood_down(incident: IncidentFacts, link: LinkFacts, *, closed: bool) -> Notice:
    _t = _writer(link)
    if closed:
        subject = _title(_t, incident, N_("%(name)s closed"))
        first = _t(N_("%(name)s is closed. Finish the referrals you hold and report what is left."),
                   name=incident.name)
    else:
        subject = _title(_t, incident, N_("%(name)s is standing down"))
        first = _t(N_("%(name)s is standing down: new referrals stop now. Referrals already sent stay with you."),
                   name=incident.name)
    return Notice(topic=CLOSED if closed else STOOD_DOWN, subject=subject,
                  text="\n\n".join([first, _link_path(_t, incident)]),
                  payload={"incident": incident.payload(), "linkage": link.payload()})
