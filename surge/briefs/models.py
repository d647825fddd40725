"""The brief tables: an incident's schedule, its briefs (figures and narrative frozen as produced), its narrative."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from surge.kernel.clock import utc_column, utcnow
from surge.kernel.db import json_column

NARRATIVE_PARTS = ("situation", "actions", "rumor_control", "next_steps")


class Kind(StrEnum):
    SCHEDULED = "scheduled"
    ON_DEMAND = "on_demand"


class Version(StrEnum):
    INITIAL = "initial"  # the incident's first brief
    UPDATE = "update"
    FINAL = "final"  # produced at or after stand-down


class BriefSchedule(SQLModel, table=True):
    __tablename__ = "brief_schedules"
    __table_args__ = (UniqueConstraint("incident_slug", name="uq_brief_schedules_incident"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_slug: str = Field(sa_column=Column(
        String(63), ForeignKey("incidents.slug", name="fk_brief_schedules_incident"), nullable=False))
    # Either fixed periods from a local wall-clock start, or a 5-field cron expression (then the hours are unused).
    operational_period_hours: int | None = 12
    # Naive on purpose: a wall-clock time in `timezone`, so periods keep their local hours across DST.
    period_start: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=False), nullable=True))
    cron: str | None = Field(default=None, max_length=120)
    timezone: str = Field(max_length=64)
    catch_up: bool = True  # after downtime: every missed period, or only the latest
    enabled: bool = True
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_by: str = Field(default="", max_length=400)


class Brief(SQLModel, table=True):
    __tablename__ = "briefs"
    __table_args__ = (
        UniqueConstraint("incident_slug", "number", name="uq_briefs_incident_number"),
        # The claim on a period: whoever inserts it produces that period's brief; anyone else skips it.
        UniqueConstraint("schedule_id", "period_start", name="uq_briefs_schedule_period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_slug: str = Field(sa_column=Column(
        String(63), ForeignKey("incidents.slug", name="fk_briefs_incident"), nullable=False, index=True))
    schedule_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("brief_schedules.id", name="fk_briefs_schedule"), nullable=True))
    number: int
    period_start: datetime = Field(sa_column=utc_column(nullable=False))
    period_end: datetime = Field(sa_column=utc_column(nullable=False))
    kind: str = Field(max_length=10)
    version: str = Field(max_length=8)
    # The figures as computed when produced, JSON text: a renderer reads these, never the live tables.
    figures: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    narrative: dict = Field(default_factory=dict, sa_column=json_column(nullable=False))
    prepared_by: str = Field(max_length=400)
    approved_by: str | None = Field(default=None, max_length=400)
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    # When its e-mails were queued: in a transaction after the one that produced it, so that rendering the PDF
    # never holds the incident's lock. None until then (a crash in between leaves it for the next run).
    distributed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class Narrative(SQLModel, table=True):
    __tablename__ = "brief_narratives"

    incident_slug: str = Field(sa_column=Column(
        String(63), ForeignKey("incidents.slug", name="fk_brief_narratives_incident"), primary_key=True))
    situation: str = Field(default="", sa_column=Column(Text, nullable=False))
    actions: str = Field(default="", sa_column=Column(Text, nullable=False))
    rumor_control: str = Field(default="", sa_column=Column(Text, nullable=False))
    next_steps: str = Field(default="", sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))
    updated_by: str = Field(default="", max_length=400)
