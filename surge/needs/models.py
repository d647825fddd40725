"""The need report table, what logging one takes, and what the API answers.

A need report holds no personal data: no name, phone, e-mail, address or free text. It says where (the
county, and the ZIP code when one was given), what (a category), and whether the need was met.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field as PydanticField, model_validator
from sqlalchemy import Column, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from surge.kernel.clock import utc_column
from surge.kernel.i18n import N_
from surge.kernel.validation import FIPS_PATTERN, ZIP_PATTERN, Slug
from surge.needs.categories import Category, UnmetReason

EXTERNAL_ID_LENGTH = 100
EXTERNAL_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:/#-]{0,99}$"
REASON_REQUIRED = N_("Say why the need was not met.")
REASON_FORBIDDEN = N_("A met need has no reason for being unmet.")


class Source(StrEnum):
    CALL = "call"  # logged by a call-taker, on the page or through the API
    IMPORT = "import"  # from a center's I&R system export


class NeedReport(SQLModel, table=True):
    __tablename__ = "need_reports"
    __table_args__ = (
        # An import run again stores nothing twice: a center's own record id is kept once.
        UniqueConstraint("center_slug", "external_id", name="uq_need_reports_center_external_id"),
        Index("ix_need_reports_incident_logged_at", "incident_slug", "logged_at"),
        Index("ix_need_reports_incident_county", "incident_slug", "county_fips"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_slug: str = Field(sa_column=Column(String(63), ForeignKey("incidents.slug",
                                                                       name="fk_need_reports_incident"),
                                                nullable=False))
    center_slug: str = Field(sa_column=Column(String(63), ForeignKey("centers.slug", name="fk_need_reports_center"),
                                              nullable=False))
    county_fips: str = Field(max_length=5)
    zip: str | None = Field(default=None, max_length=5)
    category: str = Field(max_length=32)
    met: bool
    unmet_reason: str | None = Field(default=None, max_length=32)
    logged_at: datetime = Field(sa_column=utc_column(nullable=False))
    logged_by: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("users.id", name="fk_need_reports_logged_by", ondelete="SET NULL"), nullable=True))
    source: str = Field(max_length=16)
    import_batch: str | None = Field(default=None, max_length=32)
    external_id: str | None = Field(default=None, max_length=EXTERNAL_ID_LENGTH)


def reason_problem(met: bool, unmet_reason: str | None) -> str | None:
    """Why this pair cannot be stored (a msgid), or None: an unmet need says why, a met one does not."""
    if not met and not unmet_reason:
        return REASON_REQUIRED
    if met and unmet_reason:
        return REASON_FORBIDDEN
    return None


class NeedReportIn(BaseModel):
    """One need as a call-taker logs it: a county or a ZIP code, a category, met or not and why. Nothing else
    is taken, so no personal detail can slip in."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "county": N_("Give a five-digit county FIPS code such as 48201."),
        "zip": N_("Give a five-digit ZIP code."),
        "category": N_("Choose one of the categories of need."),
        "unmet_reason": N_("Choose one of the reasons a need goes unmet."),
        "met": N_("Say whether the need was met (true or false)."),
    }

    county: str | None = PydanticField(default=None, pattern=FIPS_PATTERN.pattern, max_length=5)
    zip: str | None = PydanticField(default=None, pattern=ZIP_PATTERN.pattern, max_length=5)
    category: Category
    met: bool
    unmet_reason: UnmetReason | None = None
    center: Slug | None = PydanticField(default=None, description="the center that took the call; the caller's "
                                        "own center when left out")

    @model_validator(mode="after")
    def _one_place(self):
        if (self.county is None) == (self.zip is None):
            raise ValueError(N_("Give either a county or a ZIP code, not both."))
        return self


class NeedReportOut(BaseModel):
    id: int
    incident: str
    center: str
    county_fips: str
    zip: str | None
    category: Category
    met: bool
    unmet_reason: UnmetReason | None
    logged_at: datetime
    source: Source

    @classmethod
    def of(cls, row: NeedReport) -> "NeedReportOut":
        return cls(id=row.id, incident=row.incident_slug, center=row.center_slug, county_fips=row.county_fips,
                   zip=row.zip, category=row.category, met=row.met, unmet_reason=row.unmet_reason,
                   logged_at=row.logged_at, source=row.source)
