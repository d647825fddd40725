"""The whole schema: every table model imported in one place, and Alembic run from code."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from surge.accounts.models import ApiToken, LoginThrottle, User, WebSession  # noqa: F401
from surge.kernel.audit import AuditEntry  # noqa: F401
from surge.kernel.paths import MIGRATIONS_DIR
from surge.locations.geocode_cache import GeocodeCacheEntry  # noqa: F401

metadata = SQLModel.metadata


def alembic_config(database_url: str) -> Config:
    # Configured in code, so an installed wheel needs no alembic.ini (the file is for `alembic revision`).
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def schema_drift(engine) -> list:
    """Differences between the models and the migrated database (empty when in step)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, metadata)
