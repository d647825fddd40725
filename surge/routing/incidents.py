"""The counties under an active disaster incident, where disaster-only agreements come alive.

Incidents and their activation are not part of Surge yet, so no county is under one and every
disaster-only agreement stays dormant. Routing asks here, so activation only has to answer it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session


def disaster_counties(session: Session, at: datetime) -> frozenset[str]:
    return frozenset()
