"""Brief subscriptions: managers subscribe anyone (partners, e-mail-only addresses), a partner only itself.
A partner's subscriptions also decide which incidents' briefs it may read (see surge.briefs.access)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import delete as delete_rows, func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

import geo
from surge.access import permissions
from surge.access.principal import Principal
from surge.access.roles import Role
from surge.accounts.models import ApiToken, User
from surge.briefs.subscription_models import BriefSubscription, BriefUnsubscribeLink
from surge.briefs.subscription_schemas import SubscriptionIn, SubscriptionListOut, SubscriptionOut
from surge.incidents.models import Incident
from surge.kernel import audit
from surge.kernel.errors import Conflict, NotFound, ValidationFailed
from surge.kernel.i18n import N_
from surge.kernel.link_tokens import token_hash

MANAGE_ANY: permissions.Permission = frozenset({Role.ADMIN, Role.EMERGENCY_MANAGER})
SUBSCRIBE: permissions.Permission = MANAGE_ANY | {Role.PARTNER}  # a partner: its own subscriptions only
MAX_PER_CREATOR = 1000


def subscriber_key(*, user_id: int | None = None, token_id: int | None = None, email: str | None = None) -> str:
    if user_id is not None:
        return f"user:{user_id}"
    if token_id is not None:
        return f"token:{token_id}"
    return f"email:{email}"


def target_key(*, incident: str | None, counties: list[str]) -> str:
    if incident is not None:
        return f"incident:{incident}"
    return "area:" + hashlib.sha256(",".join(sorted(counties)).encode()).hexdigest()[:40]


def own_key(principal: Principal) -> str | None:
    """A partner's own subscriber key; None for anyone else."""
    if principal.role != Role.PARTNER.value or principal.kind not in ("user", "token"):
        return None
    return subscriber_key(user_id=principal.id) if principal.kind == "user" else subscriber_key(token_id=principal.id)


def out(row: BriefSubscription) -> SubscriptionOut:
    kind = "user" if row.user_id is not None else "token" if row.token_id is not None else "email"
    return SubscriptionOut(id=row.id, subscriber=kind, user_id=row.user_id, token_id=row.token_id, email=row.email,
                           language=row.language, incident=row.incident_slug, counties=list(row.counties),
                           created_by=row.created_by, created_at=row.created_at)


def _check_counties(counties: list[str]) -> None:
    for fips in counties:
        try:
            geo.county(fips)
        except geo.UnknownCode:
            raise ValidationFailed(N_("County FIPS code %(code)s is not a known US county."), params={"code": fips},
                                   fields={"counties": N_("Unknown code.")}) from None


def _partner(session: Session, model, row_id: int, field: str):
    found = session.get(model, row_id)
    usable = found is not None and found.role == Role.PARTNER.value and (
        found.is_active if model is User else found.revoked_at is None)
    if not usable:
        raise ValidationFailed(N_("Some of the information given is not valid."),
                               fields={field: N_("This is not an active partner.")})
    return found


def _subscriber(session: Session, data: SubscriptionIn, actor: Principal) -> dict:
    """Whom the subscription is for: a partner itself, or whoever a manager names."""
    mine = own_key(actor)
    if mine is not None:
        if data.email or data.user_id or data.token_id:
            raise ValidationFailed(N_("Some of the information given is not valid."), fields={
                "body": N_("A partner subscribes itself: leave out email, user_id and token_id.")})
        if actor.kind == "user":
            return {"user_id": actor.id, "token_id": None, "email": actor.email}
        return {"user_id": None, "token_id": actor.id, "email": None}
    if data.user_id is not None:
        user = _partner(session, User, data.user_id, "user_id")
        return {"user_id": user.id, "token_id": None, "email": user.email}
    if data.token_id is not None:
        token = _partner(session, ApiToken, data.token_id, "token_id")
        return {"user_id": None, "token_id": token.id, "email": None}
    if data.email is None:
        raise ValidationFailed(N_("Some of the information given is not valid."), fields={
            "email": N_("Give the e-mail address, user_id or token_id of the subscriber.")})
    return {"user_id": None, "token_id": None, "email": data.email}


def create(session: Session, *, data: SubscriptionIn, actor: Principal, now: datetime) -> SubscriptionOut:
    """A new subscription; 409 when the same subscriber has this incident or area already."""
    permissions.require(actor, SUBSCRIBE)
    if data.incident is not None and session.get(Incident, data.incident) is None:
        raise NotFound(N_("There is no incident %(slug)s."), params={"slug": data.incident})
    if data.counties is not None:
        _check_counties(data.counties)
    who = _subscriber(session, data, actor)
    made = session.exec(select(func.count()).select_from(BriefSubscription)
                        .where(BriefSubscription.created_by == actor.actor)).one()
    if made >= MAX_PER_CREATOR:
        raise Conflict(N_("You have %(count)s subscriptions already, the most one account may make."),
                       params={"count": MAX_PER_CREATOR})
    keys = {"subscriber_key": subscriber_key(**who), "target_key": target_key(incident=data.incident,
                                                                               counties=data.counties or [])}
    if session.exec(select(BriefSubscription.id).filter_by(**keys)).first() is not None:
        raise Conflict(N_("This subscriber has this subscription already."))
    row = BriefSubscription(**who, **keys, language=data.language, incident_slug=data.incident,
                            counties=data.counties or [], created_by=actor.actor, created_at=now)
    try:
        with session.begin_nested():  # the same subscription made at the same moment: the unique key says 409
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict(N_("This subscriber has this subscription already.")) from None
    audit.record(session, actor=actor.actor, action="brief_subscription.create", target_type="brief_subscription",
                 target_id=str(row.id), diff={"subscriber": keys["subscriber_key"].partition(":")[0],
                                              "incident": data.incident, "counties": len(row.counties)})
    return out(row)


def _visible(actor: Principal):
    mine = own_key(actor)
    return True if mine is None else BriefSubscription.subscriber_key == mine


def list_subscriptions(session: Session, *, actor: Principal, page: int, page_size: int) -> SubscriptionListOut:
    permissions.require(actor, SUBSCRIBE)
    total = session.exec(select(func.count()).select_from(BriefSubscription).where(_visible(actor))).one()
    rows = session.exec(select(BriefSubscription).where(_visible(actor)).order_by(BriefSubscription.id)
                        .offset((page - 1) * page_size).limit(page_size)).all()
    return SubscriptionListOut(subscriptions=[out(row) for row in rows], total=total, page=page, page_size=page_size)


def _end(session: Session, row: BriefSubscription, *, actor: str, action: str, missing: str, **params) -> None:
    """Delete the subscription and its links; whoever deleted it first wins, anyone after gets `missing` (404)."""
    session.execute(delete_rows(BriefUnsubscribeLink).where(BriefUnsubscribeLink.subscription_id == row.id))
    gone = session.execute(delete_rows(BriefSubscription).where(BriefSubscription.id == row.id)).rowcount
    if gone != 1:
        raise NotFound(missing, params=params)
    audit.record(session, actor=actor, action=action, target_type="brief_subscription", target_id=str(row.id),
                 diff={"subscriber": row.subscriber_key.partition(":")[0], "incident": row.incident_slug})


def delete(session: Session, *, subscription_id: int, actor: Principal) -> None:
    """End a subscription; a partner's other subscriptions and unknown ids alike are a 404."""
    permissions.require(actor, SUBSCRIBE)
    row = session.get(BriefSubscription, subscription_id)
    mine = own_key(actor)
    missing = N_("There is no subscription %(id)s.")
    if row is None or (mine is not None and row.subscriber_key != mine):
        raise NotFound(missing, params={"id": subscription_id})
    _end(session, row, actor=actor.actor, action="brief_subscription.delete", missing=missing, id=subscription_id)


def meets(row: BriefSubscription, incident: Incident) -> bool:
    """Whether a subscription covers this incident: by its slug, or by an area its counties meet."""
    if row.incident_slug is not None:
        return row.incident_slug == incident.slug
    return not set(row.counties).isdisjoint(incident.counties or [])


def _candidates(incident: Incident):
    return or_(BriefSubscription.incident_slug == incident.slug, BriefSubscription.incident_slug.is_(None))


def is_subscribed(session: Session, principal: Principal, incident: Incident) -> bool:
    mine = own_key(principal)
    if mine is None:
        return False
    rows = session.exec(select(BriefSubscription).where(BriefSubscription.subscriber_key == mine,
                                                        _candidates(incident))).all()
    return any(meets(row, incident) for row in rows)


def recipients(session: Session, incident: Incident) -> list[BriefSubscription]:
    """The subscriptions that receive this incident's briefs by e-mail, one per address (the first made)."""
    # A partner user who is no longer active gets nothing (its subscription stays, should it come back).
    rows = session.exec(select(BriefSubscription).outerjoin(User, User.id == BriefSubscription.user_id)
                        .where(_candidates(incident), BriefSubscription.email.is_not(None),
                               or_(BriefSubscription.user_id.is_(None), User.is_active))
                        .order_by(BriefSubscription.id)).all()
    chosen: dict[str, BriefSubscription] = {}
    for row in rows:
        if meets(row, incident):
            chosen.setdefault(row.email, row)
    return list(chosen.values())




def _link(session: Session, token: str) -> BriefUnsubscribeLink | None:
    return session.exec(select(BriefUnsubscribeLink).where(BriefUnsubscribeLink.token_hash == token_hash(token))).first()


def check_unsubscribe(session: Session, *, token: str) -> None:
    """404 for a link that is not known, or was used already."""
    if _link(session, token) is None:
        raise NotFound(N_("This link is not known, or it was used already."))


def unsubscribe(session: Session, *, token: str) -> None:
    """End the subscription the link was sent for; every other link to it stops working with it."""
    link = _link(session, token)
    row = session.get(BriefSubscription, link.subscription_id) if link is not None else None
    missing = N_("This link is not known, or it was used already.")
    if row is None:
        raise NotFound(missing)
    _end(session, row, actor=f"unsubscribe:{row.id}", action="brief_subscription.unsubscribe", missing=missing)
