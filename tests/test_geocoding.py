"""The app geocoder: ZIP codes answered offline; online answers cached in the database table."""

from geopy.location import Location as GeopyLocation
from sqlmodel import Session, select

from geo import OfflineFirstGeocoder, OfflineZipGeocoder
from surge.geocoding import DatabaseGeocodeCache, GeocodeCacheEntry, app_geocoder


class FakeNominatim:
    """Stands in for the external service: counts calls, answers one street address."""

    def __init__(self):
        self.calls = []

    def geocode(self, query, exactly_one=True):
        self.calls.append(query)
        return GeopyLocation(query, (29.7604, -95.3698), {})


def test_default_geocoder_is_offline_and_answers_zip_codes(settings, engine):
    geocoder = app_geocoder(settings, engine)
    assert isinstance(geocoder, OfflineZipGeocoder)
    found = geocoder.geocode("Houston, TX 77002")
    assert round(found.latitude, 1) == 29.8
    assert geocoder.geocode("1 Main Street, Springfield") is None


def test_online_answers_are_cached_in_the_table(engine):
    online = FakeNominatim()
    geocoder = OfflineFirstGeocoder(online, DatabaseGeocodeCache(engine), min_delay_seconds=0)
    first = geocoder.geocode("901 Bagby St, Houston")
    second = geocoder.geocode("901  BAGBY st, houston")
    assert online.calls == ["901 Bagby St, Houston"]
    assert (round(first.latitude, 3), round(second.latitude, 3)) == (29.76, 29.76)
    with Session(engine) as session:
        assert [row.query for row in session.exec(select(GeocodeCacheEntry))] == ["901 bagby st, houston"]
    assert geocoder.geocode("77002").raw["county_fips"] == "48201"
    assert len(online.calls) == 1


def test_cache_put_twice_keeps_one_row(engine):
    cache = DatabaseGeocodeCache(engine)
    cache.put("somewhere", 1.0, 2.0)
    cache.put("somewhere", 3.0, 4.0)
    assert cache.get("somewhere") == (3.0, 4.0)
    assert cache.get("elsewhere") is None
