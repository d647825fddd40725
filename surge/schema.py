"""The whole schema: every table model imported in one place, and Alembic run from code."""

from __future__ import annotations

import functools

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from clearinghouse.models import Clearinghouse  # noqa: F401
from clearinghouse.needs_models import ClearinghouseNeed  # noqa: F401
from clearinghouse.protocol_models import ClearinghouseProtocol  # noqa: F401
from surge.accounts.models import ApiToken, LoginThrottle, User, WebSession  # noqa: F401
from surge.alerts.models import FemaDeclarationArea  # noqa: F401
from surge.briefs.models import Brief, BriefSchedule, Narrative  # noqa: F401
from surge.briefs.subscription_models import BriefSubscription, BriefUnsubscribeLink  # noqa: F401
from surge.calls.models import CallEvent, CallSummary  # noqa: F401
from surge.centers.models import Agreement, Center, CenterStatus  # noqa: F401
from surge.centers.network_revision import NetworkRevision  # noqa: F401
from surge.incidents.linkage_models import IncidentLinkage  # noqa: F401
from surge.incidents.models import Incident  # noqa: F401
from surge.incidents.rematch_marks import RematchRequest  # noqa: F401
from surge.intake.models import Donation, DonationItem, FollowUp, Referral, Volunteer  # noqa: F401
from surge.intake.place_stamps import PlaceStamp  # noqa: F401
from surge.kernel.audit import AuditEntry  # noqa: F401
from surge.kernel.idempotency import IdempotencyKey  # noqa: F401
from surge.kernel.paths import MIGRATIONS_DIR
from surge.locations.geocode_cache import GeocodeCacheEntry  # noqa: F401
from surge.needs.models import NeedReport  # noqa: F401
from surge.outbox.models import OutboxMessage  # noqa: F401
from surge.routing.decision_log import RouteDecision  # noqa: F401

metadata = SQLModel.metadata
VERSION_TABLE = "alembic_version"


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


@functools.cache  # the migrations do not change under a running process
def head_revisions() -> frozenset[str]:
    """The revision(s) the migrations end at: what a served database must be at."""
    return frozenset(ScriptDirectory.from_config(alembic_config("")).get_heads())


def current_revision(connection) -> str | None:
    """The revision a database is at (None for an empty one); `connection` is open.

    Read directly rather than through a MigrationContext, which logs on every call: health probes
    ask every few seconds.
    """
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def revision_problem(engine) -> str | None:
    """Why this database cannot be served as it is (not migrated, or behind), or None."""
    with engine.connect() as conn:
        current = current_revision(conn)
    heads = head_revisions()
    if current in heads:
        return None
    if current is None:
        return "the database has no tables yet"
    return f"the database is at revision {current}, not {', '.join(sorted(heads))}"
