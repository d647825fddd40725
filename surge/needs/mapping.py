"""How a center's I&R export maps onto need reports: which column holds what, and what its values mean.

Pure: `read_row` turns one CSV row into the fields of a need report, or the reason it cannot be one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from surge.kernel.i18n import N_
from surge.kernel.validation import FIPS_PATTERN, ZIP_PATTERN
from surge.needs.categories import CATEGORIES, UNMET_REASONS, category_of_code
from surge.needs.models import EXTERNAL_ID_PATTERN, reason_problem

MAX_MAPPED_VALUES = 500
MAX_NAME = 200
# Times a little ahead of ours come from a clock that runs fast, not from the future.
CLOCK_SKEW = timedelta(minutes=10)
EXTERNAL_ID = re.compile(EXTERNAL_ID_PATTERN)
MET_WORDS = {"true": True, "yes": True, "y": True, "1": True, "met": True, "si": True, "sí": True,
             "false": False, "no": False, "n": False, "0": False, "unmet": False, "not met": False}
DATE_FORMAT_PATTERN = r"^[%A-Za-z0-9 :/.,_TZ+-]{2,40}$"

ColumnName = str


class Columns(BaseModel):
    """The CSV header names of each field (the export's own names, as written in its first line)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    logged_at: ColumnName = Field(min_length=1, max_length=MAX_NAME, description="the date or time of the call")
    county: ColumnName | None = Field(default=None, min_length=1, max_length=MAX_NAME,
                                      description="county FIPS codes")
    zip: ColumnName | None = Field(default=None, min_length=1, max_length=MAX_NAME, description="ZIP codes")
    category: ColumnName = Field(min_length=1, max_length=MAX_NAME)
    met: ColumnName = Field(min_length=1, max_length=MAX_NAME)
    unmet_reason: ColumnName | None = Field(default=None, min_length=1, max_length=MAX_NAME)
    external_id: ColumnName | None = Field(default=None, min_length=1, max_length=MAX_NAME,
                                           description="the record's id in the export: a repeat is a duplicate")

    @model_validator(mode="after")
    def _a_place(self):
        if self.county is None and self.zip is None:
            raise ValueError(N_("Name the column of county FIPS codes or of ZIP codes (or both)."))
        return self


def _lowered(values: dict[str, str]) -> dict[str, str]:
    return {key.strip().lower(): value for key, value in values.items()}


class ImportMapping(BaseModel):
    """The columns, and what the export's own words mean: categories (its words or taxonomy codes) and
    unmet reasons, plus words for met/unmet beyond yes/no, true/false, 1/0, met/unmet."""

    model_config = ConfigDict(extra="forbid")
    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "categories": N_("Map the export's words to the categories of need, at most 500 of them."),
        "unmet_reasons": N_("Map the export's words to the reasons a need goes unmet, at most 500 of them."),
        "met_values": N_("Map the export's words to true (met) or false (unmet), at most 500 of them."),
        "date_format": N_('Give a date format such as "%m/%d/%Y %H:%M", or leave it out for ISO 8601.'),
    }

    columns: Columns
    categories: dict[str, str] = Field(default_factory=dict, max_length=MAX_MAPPED_VALUES)
    unmet_reasons: dict[str, str] = Field(default_factory=dict, max_length=MAX_MAPPED_VALUES)
    met_values: dict[str, bool] = Field(default_factory=dict, max_length=MAX_MAPPED_VALUES)
    date_format: str | None = Field(default=None, pattern=DATE_FORMAT_PATTERN,
                                    description="a strftime format; ISO 8601 when left out")

    @field_validator("categories")
    @classmethod
    def _categories(cls, value: dict[str, str]) -> dict[str, str]:
        if any(len(key) > MAX_NAME or code not in CATEGORIES for key, code in value.items()):
            raise ValueError(N_("Map the export's words to the categories of need, at most 500 of them."))
        return _lowered(value)

    @field_validator("unmet_reasons")
    @classmethod
    def _reasons(cls, value: dict[str, str]) -> dict[str, str]:
        if any(len(key) > MAX_NAME or code not in UNMET_REASONS for key, code in value.items()):
            raise ValueError(N_("Map the export's words to the reasons a need goes unmet, at most 500 of them."))
        return _lowered(value)

    @field_validator("met_values")
    @classmethod
    def _met(cls, value: dict[str, bool]) -> dict[str, bool]:
        if any(len(key) > MAX_NAME for key in value):
            raise ValueError(N_("Map the export's words to true (met) or false (unmet), at most 500 of them."))
        return _lowered(value)


@dataclass(frozen=True)
class RowFields:
    logged_at: datetime
    county: str | None
    zip: str | None
    category: str
    met: bool
    unmet_reason: str | None
    external_id: str | None


@dataclass(frozen=True)
class RowProblem:
    message: str  # a msgid
    params: dict


def missing_columns(mapping: ImportMapping, header: list[str]) -> list[str]:
    named = [name for name in mapping.columns.model_dump().values() if name]
    return [name for name in named if name not in header]


def _category(value: str, mapping: ImportMapping) -> str | None:
    key = value.strip().lower()
    if key in mapping.categories:
        return mapping.categories[key]
    if key in CATEGORIES:
        return key
    return category_of_code(value)


def _reason(value: str, mapping: ImportMapping) -> str | None:
    key = value.strip().lower()
    return mapping.unmet_reasons.get(key) or (key if key in UNMET_REASONS else None)


def _time(value: str, mapping: ImportMapping, zone: ZoneInfo) -> datetime | None:
    try:
        moment = (datetime.strptime(value, mapping.date_format) if mapping.date_format
                  else datetime.fromisoformat(value))
    except ValueError:
        return None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _shown(value: str) -> str:
    return value[:40]


def read_row(values: dict[str, str], mapping: ImportMapping, *, zone: ZoneInfo,
             now: datetime) -> RowFields | RowProblem:
    """One row (header name -> text) as need report fields, or the first thing wrong with it."""
    columns = mapping.columns

    def cell(name: str | None) -> str:
        return values.get(name, "").strip() if name else ""

    logged_at = _time(cell(columns.logged_at), mapping, zone)
    if logged_at is None:
        return RowProblem(N_('The date "%(value)s" is not in the expected format.'),
                          {"value": _shown(cell(columns.logged_at))})
    if logged_at > now + CLOCK_SKEW:
        return RowProblem(N_("The date %(value)s is in the future."), {"value": _shown(cell(columns.logged_at))})
    county, zip_code = cell(columns.county) or None, cell(columns.zip) or None
    if county is None and zip_code is None:
        return RowProblem(N_("The row has neither a county nor a ZIP code."), {})
    if county is not None and not FIPS_PATTERN.match(county):
        return RowProblem(N_('"%(value)s" is not a five-digit county FIPS code.'), {"value": _shown(county)})
    if zip_code is not None and not ZIP_PATTERN.match(zip_code):
        zip_code = zip_code[:5] if re.match(r"^\d{5}-\d{4}$", zip_code) else zip_code  # ZIP+4 keeps its ZIP
        if not ZIP_PATTERN.match(zip_code):
            return RowProblem(N_('"%(value)s" is not a five-digit ZIP code.'), {"value": _shown(zip_code)})
    category = _category(cell(columns.category), mapping)
    if category is None:
        return RowProblem(N_('"%(value)s" is not a known category of need; map it to one.'),
                          {"value": _shown(cell(columns.category))})
    met = mapping.met_values.get(cell(columns.met).lower(), MET_WORDS.get(cell(columns.met).lower()))
    if met is None:
        return RowProblem(N_('"%(value)s" does not say whether the need was met.'),
                          {"value": _shown(cell(columns.met))})
    raw_reason = cell(columns.unmet_reason)
    reason = _reason(raw_reason, mapping) if raw_reason else None
    if raw_reason and reason is None:
        return RowProblem(N_('"%(value)s" is not a known reason for an unmet need; map it to one.'),
                          {"value": _shown(raw_reason)})
    problem = reason_problem(met, reason)
    if problem:
        return RowProblem(problem, {})
    external_id = cell(columns.external_id) or None
    if external_id is not None and not EXTERNAL_ID.match(external_id):
        return RowProblem(N_("The record id must be 1 to 100 letters, digits and . _ : / # -, starting with a "
                             "letter or digit."), {})
    return RowFields(logged_at=logged_at, county=county, zip=zip_code, category=category, met=met,
                     unmet_reason=reason, external_id=external_id)
