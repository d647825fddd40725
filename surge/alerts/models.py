"""FEMA's declared areas as stored, and what the alert endpoint answers."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field as PydanticField
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from surge.kernel.clock import utc_column, utcnow

DECLARATION_PATTERN = r"^(DR|EM|FM|FS)-\d{1,5}-[A-Z]{2}$"  # femaDeclarationString, e.g. DR-4706-OK


class FemaDeclarationArea(SQLModel, table=True):
    """One designated area of one declaration: one row of OpenFEMA's DisasterDeclarationsSummaries."""

    __tablename__ = "fema_declaration_areas"
    __table_args__ = (UniqueConstraint("row_id", name="uq_fema_declaration_areas_row_id"),)

    id: int | None = Field(default=None, primary_key=True)
    row_id: str = Field(max_length=64)  # OpenFEMA's own id of the row: how a re-import finds it
    row_hash: str = Field(max_length=64)  # OpenFEMA's hash of the row: a changed row is updated
    declaration: str = Field(max_length=16, index=True)
    incident_type: str = Field(max_length=40)
    title: str = Field(max_length=200)
    declared_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    county_fips: str = Field(max_length=5)  # SS000: the whole state SS
    designated_area: str = Field(max_length=120)
    imported_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class AlertOut(BaseModel):
    identifier: str
    sender: str
    sent: str
    event: str
    headline: str
    severity: str
    urgency: str


class ProposedArea(BaseModel):
    geojson: dict = PydanticField(description="the alert's footprint as a GeoJSON Polygon or MultiPolygon")


class ProposedIncident(BaseModel):
    slug: str
    name: str
    type: str
    exercise: bool
    timezone: str
    area: ProposedArea


class ProposalOut(BaseModel):
    proposed: ProposedIncident = PydanticField(
        description="an incident ready to POST to /api/v1/incidents as it is (nothing is stored yet)")
    counties: list[str] = PydanticField(description="the county FIPS codes the alert covers")
    polygon: dict = PydanticField(description="the alert's footprint, as GeoJSON")
    unresolved: list[str] = PydanticField(description="geocodes that name no county (UGC zones, unknown codes)")
    alert: AlertOut
