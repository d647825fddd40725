"""Geocoding through the caller's session: ZIP codes offline, online answers cached in the table."""

from geopy.location import Location as GeopyLocation
from sqlmodel import Session, select

from geo import OfflineFirstGeocoder, OfflineZipGeocoder
from surge.kernel.db import run_in_transaction, unit_of_work
from surge.locations.geocode_cache import GeocodeCacheEntry, SessionGeocodeCache, geocode


class FakeNominatim:
    """Stands in for the external service: counts calls, answers one street address."""

    def __init__(self):
        self.calls = []

    def geocode(self, query, exactly_one=True):
        self.calls.append(query)
        return GeopyLocation(query, (29.7604, -95.3698), {})


def test_offline_geocoder_answers_zip_codes_only(engine):
    geocoder = OfflineZipGeocoder()
    found = run_in_transaction(engine, geocode, geocoder=geocoder, query="Houston, TX 77002")
    assert round(found.latitude, 1) == 29.8
    assert run_in_transaction(engine, geocode, geocoder=geocoder, query="1 Main Street, Springfield") is None


def test_online_answers_are_cached_in_the_table(engine):
    online = FakeNominatim()
    geocoder = OfflineFirstGeocoder(online, min_delay_seconds=0)
    first = run_in_transaction(engine, geocode, geocoder=geocoder, query="901 Bagby St, Houston")
    second = run_in_transaction(engine, geocode, geocoder=geocoder, query="901  BAGBY st, houston")
    assert online.calls == ["901 Bagby St, Houston"]
    assert (round(first.latitude, 3), round(second.latitude, 3)) == (29.76, 29.76)
    with Session(engine) as session:
        assert [row.query for row in session.exec(select(GeocodeCacheEntry))] == ["901 bagby st, houston"]
    assert run_in_transaction(engine, geocode, geocoder=geocoder, query="77002").raw["county_fips"] == "48201"
    assert len(online.calls) == 1


def test_the_cache_row_belongs_to_the_callers_transaction(engine):
    """A failed unit of work leaves no cached answer behind: there is no second, separate commit."""
    geocoder = OfflineFirstGeocoder(FakeNominatim(), min_delay_seconds=0)
    try:
        with unit_of_work(engine) as session:
            geocode(session, geocoder=geocoder, query="1 Failing Way")
            raise RuntimeError("the record that needed the address could not be saved")
    except RuntimeError:
        pass
    with Session(engine) as session:
        assert session.exec(select(GeocodeCacheEntry)).all() == []


def test_cache_put_twice_keeps_one_row(engine):
    with unit_of_work(engine) as session:
        cache = SessionGeocodeCache(session)
        cache.put("somewhere", 1.0, 2.0)
        cache.put("somewhere", 3.0, 4.0)
        assert cache.get("somewhere") == (3.0, 4.0)
        assert cache.get("elsewhere") is None
    with Session(engine) as session:
        assert len(session.exec(select(GeocodeCacheEntry)).all()) == 1
