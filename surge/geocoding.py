"""The app's geocoder: ZIP codes offline; street addresses online only when switched on, cached in a table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel

from geo import make_geocoder
from surge.clock import utc_column, utcnow
from surge.settings import Settings


class GeocodeCacheEntry(SQLModel, table=True):
    """An online geocoder's answer, kept so an address is looked up once (and the provider's limit respected)."""

    __tablename__ = "geocode_cache"

    query: str = Field(primary_key=True, max_length=500)
    lat: float
    lon: float
    created_at: datetime = Field(default_factory=utcnow, sa_column=utc_column(nullable=False))


class DatabaseGeocodeCache:
    """geo's GeocodeCache protocol over the geocode_cache table; each call is its own short transaction."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def get(self, query: str) -> tuple[float, float] | None:
        with Session(self.engine) as session:
            entry = session.get(GeocodeCacheEntry, query[:500])
            return (entry.lat, entry.lon) if entry else None

    def put(self, query: str, lat: float, lon: float) -> None:
        with Session(self.engine) as session:
            entry = session.get(GeocodeCacheEntry, query[:500])
            if entry is None:
                session.add(GeocodeCacheEntry(query=query[:500], lat=lat, lon=lon))
            else:
                entry.lat, entry.lon = lat, lon
            try:
                session.commit()
            except IntegrityError:
                session.rollback()  # another worker cached the same address first; its answer stands


def app_geocoder(settings: Settings, engine: Engine):
    return make_geocoder(settings.online_geocoder, settings.geocoder_user_agent, DatabaseGeocodeCache(engine))
