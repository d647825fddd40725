"""Who receives an incident's briefs: partners (a user or an API token) and e-mail-only subscribers, for one
incident or for an area (county FIPS codes) that an incident's counties meet. Plus the one-time unsubscribe
links sent to e-mail-only subscribers, of which only a hash is stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from surge.kernel.clock import utc_column, utcnow
from surge.kernel.db import json_column

LANGUAGES = ("en", "es")


class BriefSubscription(SQLModel, table=True):
    __tablename__ = "brief_subscriptions"
    # The same subscriber for the same incident or area once: a second request is a 409, not a second e-mail.
    __table_args__ = (UniqueConstraint("subscriber_key", "target_key", name="uq_brief_subscriptions_target"),)

    id: int | None = Field(default=None, primary_key=True)
    # Exactly one of user_id, token_id (a partner) or only an e-mail address (no account).
    user_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("users.id", name="fk_brief_subscriptions_user"), nullable=True, index=True))
    token_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("api_tokens.id", name="fk_brief_subscriptions_token"), nullable=True, index=True))
    email: str | None = Field(default=None, max_length=320)  # where briefs are sent; none for a token
    language: str = Field(default="en", max_length=8)
    # Either one incident, or an area: the briefs of every incident whose counties meet these.
    incident_slug: str | None = Field(default=None, sa_column=Column(
        String(63), ForeignKey("incidents.slug", name="fk_brief_subscriptions_incident"), nullable=True,
        index=True))
    counties: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    subscriber_key: str = Field(max_length=340)  # user:3, token:5 or email:name@example.org
    target_key: str = Field(max_length=80)  # incident:<slug> or area:<hash of the sorted counties>
    created_by: str = Field(max_length=400, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class BriefUnsubscribeLink(SQLModel, table=True):
    """One per e-mail sent to an e-mail-only subscriber; any of them ends the subscription, once."""

    __tablename__ = "brief_unsubscribe_links"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    subscription_id: int = Field(sa_column=Column(
        Integer, ForeignKey("brief_subscriptions.id", name="fk_brief_unsubscribe_links_subscription"),
        nullable=False, index=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
