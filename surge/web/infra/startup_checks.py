"""What must hold before a database is served: migrated to head, and in production no demo data.

`surge serve` runs these before it listens; the app's lifespan runs them again in production,
so a server started some other way refuses the same databases.
"""

from __future__ import annotations

from surge.demo import leftovers
from surge.kernel.db import run_in_transaction
from surge.kernel.settings import Settings
from surge.schema import revision_problem


def refusal(settings: Settings, engine) -> str | None:
    """One line saying why this database must not be served, or None. Raises when it cannot be reached."""
    problem = revision_problem(engine)
    if problem:
        return f"{problem}: run `surge db upgrade` first"
    if settings.is_production:
        demo = run_in_transaction(engine, leftovers)
        if demo:
            return f"production refuses a database that holds demo data, whose logins are public: {demo}"
    return None
