"""Geocoders, with a stand-in for the online service: tests never use the network."""

from geopy.geocoders import Nominatim
from geopy.location import Location as GeopyLocation

from geo.geopy_geocoders import MemoryCache, OfflineFirstGeocoder, OfflineZipGeocoder, make_geocoder


class FakeOnline:
    def __init__(self, answers):
        self.answers = answers
        self.queries = []

    def geocode(self, query, exactly_one=True):
        self.queries.append(query)
        point = self.answers.get(query)
        return GeopyLocation(query, point, {}) if point else None


def test_offline_geocode_zip():
    found = OfflineZipGeocoder().geocode("77002")
    assert round(found.latitude, 2) == 29.76 and round(found.longitude, 2) == -95.37
    assert "Harris" in found.address
    assert found.raw["county_fips"] == "48201"


def test_offline_geocode_zip_inside_an_address():
    assert OfflineZipGeocoder().geocode("1 Main St, Houston, TX 77002-1234").raw["county_fips"] == "48201"
    assert OfflineZipGeocoder().geocode("22046", exactly_one=False)[0].raw["county_fips"] == "51610"


def test_offline_geocode_misses():
    geocoder = OfflineZipGeocoder()
    assert geocoder.geocode("Main Street, Houston") is None
    assert geocoder.geocode("00000") is None
    assert geocoder.geocode("phone 7135551234") is None  # digits, but no ZIP code


def test_offline_reverse():
    geocoder = OfflineZipGeocoder()
    assert geocoder.reverse((29.76, -95.37)).raw["county_fips"] == "48201"
    assert geocoder.reverse("29.76, -95.37").address == "Harris, TX"
    assert geocoder.reverse((25.0, -70.0)) is None


def test_composite_answers_zip_offline():
    online = FakeOnline({})
    geocoder = OfflineFirstGeocoder(online, min_delay_seconds=0)
    assert geocoder.geocode("77002").raw["county_fips"] == "48201"
    assert online.queries == []


def test_composite_asks_online_once_then_uses_cache():
    online = FakeOnline({"1600 Main St, Houston": (29.75, -95.36)})
    cache = MemoryCache()
    geocoder = OfflineFirstGeocoder(online, cache, min_delay_seconds=0)
    first = geocoder.geocode("1600 Main St, Houston")
    again = geocoder.geocode("  1600 main st,   HOUSTON ")
    assert online.queries == ["1600 Main St, Houston"]
    assert (first.latitude, first.longitude) == (again.latitude, again.longitude) == (29.75, -95.36)
    assert cache.get("1600 main st, houston") == (29.75, -95.36)


def test_composite_does_not_cache_misses():
    online = FakeOnline({})
    cache = MemoryCache()
    geocoder = OfflineFirstGeocoder(online, cache, min_delay_seconds=0)
    assert geocoder.geocode("nowhere at all") is None
    assert geocoder.geocode("nowhere at all") is None
    assert len(online.queries) == 2
    assert cache.get("nowhere at all") is None


def test_any_object_with_get_and_put_can_be_the_cache():
    class DictCache:
        def __init__(self):
            self.rows = {"city hall": (29.76, -95.37)}

        def get(self, query):
            return self.rows.get(query)

        def put(self, query, lat, lon):
            self.rows[query] = (lat, lon)

    online = FakeOnline({})
    assert OfflineFirstGeocoder(online, DictCache(), min_delay_seconds=0).geocode("City Hall").latitude == 29.76
    assert online.queries == []


def test_memory_cache_is_bounded():
    cache = MemoryCache(max_entries=2)
    for i in range(3):
        cache.put(str(i), i, i)
    assert cache.get("0") is None and cache.get("2") == (2, 2)


def test_make_geocoder():
    assert isinstance(make_geocoder(False, "surge-test"), OfflineZipGeocoder)
    online = make_geocoder(True, "surge-test")  # builds the client; sends nothing
    assert isinstance(online, OfflineFirstGeocoder)
    assert isinstance(online._online.func.__self__, Nominatim)
