"""Which clearinghouses an incident brings in: the linkage table, what changing one takes, what the API answers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field as PydanticField
from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from surge.incidents.models import IncidentOut
from surge.kernel.clock import utc_column, utcnow


class LinkState(StrEnum):
    LINKED = "linked"  # told of the incident; takes referrals while it is active
    PAUSED = "paused"  # still in the incident, but no new referrals for now
    UNLINKED = "unlinked"  # out of it: set by hand, so activation leaves it out


class LinkSource(StrEnum):
    PROTOCOL = "protocol"
    MANUAL = "manual"


class IncidentLinkage(SQLModel, table=True):
    __tablename__ = "incident_linkages"
    __table_args__ = (UniqueConstraint("incident_slug", "clearinghouse_slug",
                                       name="uq_incident_linkages_incident_clearinghouse"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_slug: str = Field(sa_column=Column(
        String(63), ForeignKey("incidents.slug", name="fk_incident_linkages_incident"), nullable=False, index=True))
    clearinghouse_slug: str = Field(sa_column=Column(
        String(63), ForeignKey("clearinghouses.slug", name="fk_incident_linkages_clearinghouse"), nullable=False,
        index=True))
    state: str = Field(default=LinkState.LINKED.value, max_length=10)
    source: str = Field(default=LinkSource.PROTOCOL.value, max_length=10)
    # A replaced or deleted protocol leaves the linkage in place, without its terms.
    protocol_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("clearinghouse_protocols.id", name="fk_incident_linkages_protocol", ondelete="SET NULL"),
        nullable=True))
    changed_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    changed_by: str = Field(default="", max_length=400)
    reason: str = Field(default="", max_length=2000)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LinkageIn(Strict):
    state: LinkState
    reason: str = PydanticField(min_length=1, max_length=2000, description="why: kept in the audit log")


class LinkageOut(BaseModel):
    clearinghouse: str
    name: str
    kind: str
    state: LinkState
    source: LinkSource
    protocol_id: int | None
    ack_hours: int | None = PydanticField(description="the protocol's acknowledgement deadline; none without one")


class IncidentDetailOut(IncidentOut):
    linkages: list[LinkageOut] = PydanticField(default_factory=list,
                                               description="the clearinghouses this incident brings in")


class ProposedOut(BaseModel):
    """A clearinghouse that activation would link, and by which protocol."""

    clearinghouse: str
    name: str
    kind: str
    protocol_id: int
    ack_hours: int
    skills: list[str]
    donation_categories: list[str]
    counties: list[str] = PydanticField(description="the incident's counties it serves")
