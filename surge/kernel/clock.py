"""Time in UTC, everywhere: aware datetimes in, aware datetimes out, on SQLite as on PostgreSQL.

`utcnow` is the one clock. Code that must be tested at other times takes a `Clock` argument instead.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import Column, DateTime
from sqlalchemy.types import TypeDecorator

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UtcDateTime(TypeDecorator):
    """SQLite drops the zone of a stored time; this puts UTC back so comparisons never mix kinds."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def utc_column(**kwargs) -> Column:
    return Column(UtcDateTime(), **kwargs)
