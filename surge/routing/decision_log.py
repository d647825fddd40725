"""Every routing decision, kept for review: written in batches off the request path."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from surge.kernel.clock import utc_column


class RouteDecision(SQLModel, table=True):
    __tablename__ = "route_decisions"

    id: str = Field(primary_key=True, max_length=32)
    decided_at: datetime = Field(sa_column=utc_column(nullable=False, index=True))
    at: datetime = Field(sa_column=utc_column(nullable=False))
    county_fips: str = Field(max_length=5)
    zip: str | None = Field(default=None, max_length=5)
    language: str | None = Field(default=None, max_length=35)
    tty: bool = False
    targets: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    skipped: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    stale: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    actor: str = Field(default="", max_length=400)
