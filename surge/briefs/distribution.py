"""Sending a brief to its subscribers: one outbox e-mail each, with the PDF attached, written in a transaction
after the one that produced the brief. The key (brief, subscription) makes a second run send nothing twice, and
the PDF is rendered once per brief however many subscribers there are."""

from __future__ import annotations

import base64
from datetime import datetime

from sqlmodel import Session, select

from surge.access import permissions
from surge.access.principal import Principal
from surge.access.roles import Role
from surge.briefs import documents, subscriptions
from surge.briefs.access import find_incident
from surge.briefs.models import Brief
from surge.briefs.subscription_models import BriefSubscription, BriefUnsubscribeLink
from surge.briefs.subscription_schemas import DeliveryListOut, DeliveryOut
from surge.incidents.models import Incident
from surge.kernel import audit
from surge.kernel.errors import NotFound
from surge.kernel.i18n import N_, translate
from surge.kernel.link_tokens import new_token, token_hash
from surge.outbox import enqueue
from surge.outbox.enqueue import Notice
from surge.outbox.models import Channel, OutboxMessage, State

TOPIC = "brief.produced"


def key_prefix(brief: Brief) -> str:
    return f"brief:{brief.id}:subscription:"


def message_key(brief: Brief, subscription_id: int) -> str:
    return f"{key_prefix(brief)}{subscription_id}"


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _unsubscribe_link(session: Session, row: BriefSubscription, *, base: str, now: datetime) -> str:
    token = new_token()
    session.add(BriefUnsubscribeLink(token_hash=token_hash(token), subscription_id=row.id, created_at=now))
    return f"{base}/briefs/unsubscribe/{token}"


def _notice(session: Session, row: BriefSubscription, *, brief: Brief, incident: Incident, base: str,
            now: datetime) -> Notice:
    language = row.language
    link = f"{base}/api/v1/incidents/{incident.slug}/briefs/{brief.number}.html"
    text = translate(language, N_("Situation brief %(number)s for %(incident)s covers %(start)s to %(end)s. "
                                  "The PDF is attached; read it online at %(link)s"),
                     number=brief.number, incident=incident.name, start=_when(brief.period_start),
                     end=_when(brief.period_end), link=link)
    if row.user_id is None and row.token_id is None:  # no account to manage it from: a link to stop
        text += "\n\n" + translate(language, N_("To receive no more briefs, follow this link (once): %(link)s"),
                                   link=_unsubscribe_link(session, row, base=base, now=now))
    subject = translate(language, N_("Situation brief %(number)s: %(incident)s"), number=brief.number,
                        incident=incident.name)
    return Notice(topic=TOPIC, subject=subject, text=text)


def distribute(session: Session, *, brief: Brief, incident: Incident, now: datetime, public_url: str) -> int:
    """Queue the brief for every subscriber not sent it yet; how many messages were queued."""
    waiting = subscriptions.recipients(session, incident)
    keys = {row.id: message_key(brief, row.id) for row in waiting}
    queued = set(session.exec(select(OutboxMessage.key).where(OutboxMessage.key.in_(keys.values()))).all()) \
        if keys else set()
    waiting = [row for row in waiting if keys[row.id] not in queued]
    if not waiting:
        return 0
    attachment = {"filename": f"{incident.slug}-brief-{brief.number}.pdf", "content_type": "application/pdf",
                  "base64": base64.b64encode(documents.pdf(session, brief)).decode("ascii")}
    base = public_url.rstrip("/")
    rows = []
    for row in waiting:
        message = enqueue.message_row(key=keys[row.id], channel=Channel.EMAIL, recipient=row.email, now=now,
                                      notice=_notice(session, row, brief=brief, incident=incident, base=base, now=now))
        message["body"]["attachments"] = [attachment]
        rows.append(message)
    written = enqueue.write(session, rows)
    audit.record(session, actor=brief.prepared_by, action="brief.distribute", target_type="brief",
                 target_id=f"{incident.slug}/{brief.number}", diff={"queued": written})
    return written


def distribute_brief(session: Session, *, slug: str, number: int, now: datetime, public_url: str) -> int:
    """Send one brief not sent yet, and mark it sent; how many messages were queued. Its row stays locked until
    the transaction ends (PostgreSQL), so two senders never render its PDF side by side."""
    brief = session.exec(select(Brief).where(Brief.incident_slug == slug, Brief.number == number)
                         .with_for_update()).first()
    if brief is None or brief.distributed_at is not None:
        return 0
    written = distribute(session, brief=brief, incident=session.get(Incident, brief.incident_slug), now=now,
                         public_url=public_url)
    brief.distributed_at = now
    session.add(brief)
    return written


def not_sent(session: Session, *, produced_after: datetime, produced_before: datetime,
             limit: int) -> list[tuple[str, int]]:
    """(incident, number) of the briefs produced between then and never sent (a crash came between producing and
    sending), oldest first."""
    return [(slug, number) for slug, number in session.exec(
        select(Brief.incident_slug, Brief.number).where(Brief.distributed_at.is_(None),
                                                        Brief.created_at > produced_after,
                                                        Brief.created_at < produced_before)
        .order_by(Brief.id).limit(limit)).all()]


READ_DELIVERIES = subscriptions.MANAGE_ANY | {Role.SUPERVISOR}


def _state(message: OutboxMessage) -> str:
    if message.state == State.PENDING.value:
        return "failed" if message.attempts else "queued"
    return message.state


def deliveries(session: Session, *, slug: str, number: int, actor: Principal) -> DeliveryListOut:
    """Each recipient of one brief and how its e-mail fares, read from the outbox rows by their keys."""
    permissions.require(actor, READ_DELIVERIES)
    find_incident(session, slug)
    brief = session.exec(select(Brief).where(Brief.incident_slug == slug, Brief.number == number)).first()
    if brief is None:
        raise NotFound(N_("There is no brief %(number)s of %(slug)s."), params={"number": number, "slug": slug})
    prefix = key_prefix(brief)
    messages = session.exec(select(OutboxMessage).where(OutboxMessage.key.startswith(prefix, autoescape=True))
                            .order_by(OutboxMessage.id)).all()
    current = set(session.exec(select(BriefSubscription.id).where(BriefSubscription.id.in_(
        [int(m.key.removeprefix(prefix)) for m in messages]))).all()) if messages else set()
    found = []
    for message in messages:
        subscription_id = int(message.key.removeprefix(prefix))
        found.append(DeliveryOut(recipient=message.recipient, state=_state(message), attempts=message.attempts,
                                 subscription_id=subscription_id if subscription_id in current else None,
                                 last_error=message.last_error, queued_at=message.created_at,
                                 sent_at=message.sent_at))
    return DeliveryListOut(incident=slug, number=number, deliveries=found)
