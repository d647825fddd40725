"""Geocoding street addresses through the caller's transaction: online answers are kept in a table.

ZIP codes are always answered offline. An online geocoder (geo's OfflineFirstGeocoder) asks the
provider once per address; the answer is written by the same session as the record that needed it.
"""

from __future__ import annotations

from datetime import datetime

from geopy.geocoders.base import Geocoder
from geopy.location import Location as GeopyLocation
from sqlmodel import Field, Session, SQLModel

from surge.kernel.clock import utc_column, utcnow
from surge.kernel.db import upsert_insert

MAX_QUERY = 500


class GeocodeCacheEntry(SQLModel, table=True):
    """An online geocoder's answer, kept so an address is looked up once (and the provider's limit respected)."""

    __tablename__ = "geocode_cache"

    query: str = Field(primary_key=True, max_length=MAX_QUERY)
    lat: float
    lon: float
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class SessionGeocodeCache:
    """geo's GeocodeCache protocol over the geocode_cache table, inside the caller's session."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, query: str) -> tuple[float, float] | None:
        entry = self.session.get(GeocodeCacheEntry, query[:MAX_QUERY])
        return (entry.lat, entry.lon) if entry else None

    def put(self, query: str, lat: float, lon: float) -> None:
        # An upsert, so another worker caching the same address first cannot fail the caller's transaction.
        values = {"query": query[:MAX_QUERY], "lat": lat, "lon": lon, "created_at": utcnow()}
        statement = upsert_insert(self.session, GeocodeCacheEntry).values(**values)
        statement = statement.on_conflict_do_update(index_elements=["query"],
                                                    set_={"lat": lat, "lon": lon, "created_at": values["created_at"]})
        self.session.execute(statement)
        self.session.expire_all()  # an entry already loaded must not hide the new answer


def geocode(session: Session, *, geocoder: Geocoder, query: str) -> GeopyLocation | None:
    """Where `query` is, or None; an online answer is cached through `session`."""
    return geocoder.geocode(query, exactly_one=True, cache=SessionGeocodeCache(session))
