"""Every table model, imported in one place so Alembic and tests see the whole schema."""

from sqlmodel import SQLModel

from surge.accounts.models import ApiToken, LoginThrottle, User, WebSession  # noqa: F401
from surge.audit import AuditEntry  # noqa: F401
from surge.geocoding import GeocodeCacheEntry  # noqa: F401

metadata = SQLModel.metadata
