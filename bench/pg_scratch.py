"""A benchmark's own PostgreSQL database: made empty on the server given, dropped afterwards.

With no server reachable there is nothing to measure, which is not a failure of the code: the context
yields None and the benchmark says it skipped.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import make_url, text

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def scratch_database(server_url: str, name: str, *, keep: bool = False):
    """Yield a SQLAlchemy URL of an empty database `name` (dropped first if left over), or None without a server."""
    from surge.kernel.db import make_engine

    if server_url.startswith("postgresql://"):  # a plain libpq URL: the driver Surge uses
        server_url = "postgresql+psycopg://" + server_url.removeprefix("postgresql://")
    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        print(f"no PostgreSQL at {make_url(server_url).render_as_string()}: {exc.__class__.__name__}; skipped")
        admin.dispose()
        yield None
        return
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
