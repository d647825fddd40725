"""The tables of intake: volunteers, donation offers and their items, and referrals to clearinghouses.

A person's contact details live only here, never in referrals or notices: a clearinghouse reads them
after it accepts a referral, and each such reading is audited.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from surge.kernel.audit import NAME_LENGTH
from surge.kernel.clock import utc_column, utcnow
from surge.kernel.db import json_column


class IntakeStatus(StrEnum):
    MATCHED = "matched"  # referred to at least one clearinghouse
    RESERVE = "reserve"  # a volunteer no clearinghouse can take now: re-matched when needs change
    ON_FILE = "on_file"  # goods not needed now: kept, and the donor told so


class Source(StrEnum):
    WEB = "web"
    PHONE = "phone"  # a call-taker's form
    API = "api"


class Volunteer(SQLModel, table=True):
    __tablename__ = "volunteers"
    __table_args__ = (
        # One person an incident: the same phone or e-mail updates the record instead of adding one.
        UniqueConstraint("incident_slug", "phone_key", name="uq_volunteers_incident_phone"),
        UniqueConstraint("incident_slug", "email_key", name="uq_volunteers_incident_email"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True)
    # No index of its own: the unique (incident_slug, phone_key) index leads with it, and serves its lookups.
    incident_slug: str = Field(sa_column=Column(String(63), ForeignKey("incidents.slug", name="fk_volunteers_incident"),
                                                nullable=False))
    name: str = Field(max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=320)
    phone_key: str | None = Field(default=None, max_length=20)
    email_key: str | None = Field(default=None, max_length=320)
    preferred_contact: str = Field(default="phone", max_length=10)
    zip: str | None = Field(default=None, max_length=5)
    address: str | None = Field(default=None, max_length=300)
    lat: float | None = None
    lon: float | None = None
    county: str | None = Field(default=None, max_length=5)
    travel_miles: float = 25
    skills: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    certifications: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=json_column(nullable=False))
    availability: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
    organisation: str | None = Field(default=None, max_length=200)  # None: unaffiliated
    adult: bool = True
    guardian: str | None = Field(default=None, max_length=200)
    activity: str = Field(default="some", max_length=12)  # significant | some | little
    consents: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))  # name -> ISO time given
    status: str = Field(default=IntakeStatus.RESERVE.value, max_length=10, index=True)
    source: str = Field(default=Source.WEB.value, max_length=10)
    # Who took the registration in (a call-taker, a partner's token, the public form): kept on the record, not as
    # an audit entry of its own; what changes it later (a merge) is audited.
    taken_by: str | None = Field(default=None, max_length=NAME_LENGTH)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class Donation(SQLModel, table=True):
    __tablename__ = "donations"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True)
    incident_slug: str = Field(sa_column=Column(String(63), ForeignKey("incidents.slug", name="fk_donations_incident"),
                                                nullable=False, index=True))
    donor_type: str = Field(max_length=12)  # individual | business | organisation
    name: str = Field(max_length=200)
    organisation: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=320)
    zip: str | None = Field(default=None, max_length=5)
    address: str | None = Field(default=None, max_length=300)
    lat: float | None = None
    lon: float | None = None
    county: str | None = Field(default=None, max_length=5)
    can_deliver: bool = False
    available_from: date | None = None
    available_to: date | None = None
    estimated_value: float | None = None
    cash_pledge: float | None = None  # money offered: sent to the linked clearinghouses' giving links
    status: str = Field(default=IntakeStatus.ON_FILE.value, max_length=10, index=True)
    source: str = Field(default=Source.WEB.value, max_length=10)
    taken_by: str | None = Field(default=None, max_length=NAME_LENGTH)  # as for a volunteer
    # The language of the form the offer came in on: the donor's later e-mails (the follow-up) are in it too.
    language: str = Field(default="en", max_length=8)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class DonationItem(SQLModel, table=True):
    __tablename__ = "donation_items"

    id: int | None = Field(default=None, primary_key=True)
    donation_id: int = Field(sa_column=Column(Integer, ForeignKey("donations.id", name="fk_donation_items_donation"),
                                              nullable=False, index=True))
    category: str = Field(max_length=40)
    description: str = Field(default="", max_length=500)
    quantity: float = 1
    unit: str = Field(default="each", max_length=40)
    condition: str = Field(default="new", max_length=8)  # new | used
    packaging: str = Field(default="boxed", max_length=12)  # loose | boxed | palletised
    perishable: bool = False
    expiry: date | None = None
    status: str = Field(default=IntakeStatus.ON_FILE.value, max_length=10)


class ReferralState(StrEnum):
    """OASIS EDXL-RM's life of a resource request, as a referral lives it."""

    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    FULFILLED = "fulfilled"
    RELEASED = "released"  # expired, no-show or cancelled


class Referral(SQLModel, table=True):
    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_clearinghouse_state", "clearinghouse_slug", "state"),
                      # The deadline jobs' scans: sent past their deadline or reminder, accepted past N days.
                      Index("ix_referrals_state_ack_due", "state", "ack_due_at"),
                      Index("ix_referrals_state_remind", "state", "remind_at"),
                      Index("ix_referrals_state_accepted", "state", "accepted_at"),
                      # Capacity: what one clearinghouse took in an incident since a time, counted up to its limit.
                      Index("ix_referrals_capacity", "clearinghouse_slug", "incident_slug", "sent_at"))

    id: int | None = Field(default=None, primary_key=True)
    incident_slug: str = Field(sa_column=Column(String(63), ForeignKey("incidents.slug", name="fk_referrals_incident"),
                                                nullable=False, index=True))
    clearinghouse_slug: str = Field(sa_column=Column(
        String(63), ForeignKey("clearinghouses.slug", name="fk_referrals_clearinghouse"), nullable=False))
    volunteer_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("volunteers.id", name="fk_referrals_volunteer"), nullable=True, index=True))
    donation_item_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("donation_items.id", name="fk_referrals_donation_item"), nullable=True, index=True))
    code: str = Field(max_length=40)  # the skill or category it was referred for
    distance_miles: float | None = None
    state: str = Field(default=ReferralState.SENT.value, max_length=12)
    reason: str = Field(default="", max_length=500)  # why declined or released
    released_why: str | None = Field(default=None, max_length=12)  # expired | no_show | cancelled
    ack_due_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # Halfway to the deadline the clearinghouse is reminded once; cleared when done (or no longer sent).
    remind_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    sent_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    acknowledged_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    accepted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    declined_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    fulfilled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    released_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_by: str = Field(default="", max_length=400)


class FollowUp(SQLModel, table=True):
    """Asking a volunteer or donor, once, whether the agency contacted them (National Standard 12)."""

    __tablename__ = "follow_ups"

    id: int | None = Field(default=None, primary_key=True)
    # Only the link's hash is kept: the link itself lives in the person's mailbox.
    token_hash: str = Field(max_length=64, unique=True)
    incident_slug: str = Field(sa_column=Column(String(63), ForeignKey("incidents.slug", name="fk_follow_ups_incident"),
                                                nullable=False, index=True))
    volunteer_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("volunteers.id", name="fk_follow_ups_volunteer"), nullable=True, unique=True))
    donation_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("donations.id", name="fk_follow_ups_donation"), nullable=True, unique=True))
    sent_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    answered_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    contacted: bool | None = None
    satisfaction: int | None = None  # 1 to 5
    comment: str = Field(default="", max_length=1000)
