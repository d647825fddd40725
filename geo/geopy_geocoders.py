"""geopy geocoders: offline ZIP code answers, with an optional online fallback.

Most callers give a ZIP code, which the bundled data answers instantly and
without sending anyone's address off the machine. Only other queries go to
Nominatim, at most one request per second, with answers kept in a cache.
"""

import re
import threading
from collections import OrderedDict
from typing import Protocol

from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location as GeopyLocation
from geopy.point import Point

from .errors import GeoError
from .location import Location, locate_point, locate_zip

_ZIP_IN_TEXT = re.compile(r"(?<![0-9])([0-9]{5})(?:-[0-9]{4})?(?![0-9])")


class GeocodeCache(Protocol):
    """Where online answers are kept; the app may back this with a table."""

    def get(self, query: str) -> tuple[float, float] | None: ...

    def put(self, query: str, lat: float, lon: float) -> None: ...


class MemoryCache:
    """A bounded in-process cache; the oldest entries go first."""

    def __init__(self, max_entries: int = 10_000):
        self._entries: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def get(self, query: str) -> tuple[float, float] | None:
        with self._lock:
            return self._entries.get(query)

    def put(self, query: str, lat: float, lon: float) -> None:
        with self._lock:
            self._entries[query] = (lat, lon)
            self._entries.move_to_end(query)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)


def _answer(found: Location, address: str, exactly_one: bool):
    result = GeopyLocation(address, (found.lat, found.lon), found.to_dict())
    return result if exactly_one else [result]


class OfflineZipGeocoder(Geocoder):
    """Answers ZIP codes and reverse lookups from the bundled data only."""

    def geocode(self, query, *, exactly_one: bool = True, **_ignored):
        """The centre of the first ZIP code in `query`, or None."""
        match = _ZIP_IN_TEXT.search(str(query))
        if match is None:
            return None
        try:
            found = locate_zip(match.group(1))
        except GeoError:
            return None
        if found.lat is None:
            return None
        return _answer(found, f"{match.group(1)}, {found.county}, {found.state}", exactly_one)

    def reverse(self, query, *, exactly_one: bool = True, **_ignored):
        """The county containing a point given as (lat, lon), "lat, lon" or a Point."""
        try:
            point = Point(query)
            found = locate_point(point.latitude, point.longitude)
        except (GeoError, ValueError, TypeError):
            return None
        return _answer(found, f"{found.county}, {found.state}", exactly_one)


class OfflineFirstGeocoder(Geocoder):
    """Offline ZIP answers first; otherwise a cached, rate-limited online geocoder."""

    def __init__(self, online, cache: GeocodeCache | None = None, *, min_delay_seconds: float = 1.0):
        super().__init__()
        self.offline = OfflineZipGeocoder()
        self.cache = cache if cache is not None else MemoryCache()
        self._online = RateLimiter(online.geocode, min_delay_seconds=min_delay_seconds)

    def geocode(self, query, *, exactly_one: bool = True, cache: GeocodeCache | None = None, **_ignored):
        """`cache` replaces the geocoder's own for this call (a caller's database session, say)."""
        cache = cache if cache is not None else self.cache
        found = self.offline.geocode(query, exactly_one=exactly_one)
        if found is not None:
            return found
        key = " ".join(str(query).split()).lower()  # same place, same cache entry
        if not key:
            return None
        cached = cache.get(key)
        if cached is not None:
            result = GeopyLocation(str(query), cached, {"source": "cache"})
            return result if exactly_one else [result]
        result = self._online(str(query), exactly_one=True)
        if result is None:
            return None
        cache.put(key, result.latitude, result.longitude)
        return result if exactly_one else [result]

    def reverse(self, query, *, exactly_one: bool = True, **_ignored):
        """Counties are all this service needs from a point, so this stays offline."""
        return self.offline.reverse(query, exactly_one=exactly_one)


def make_geocoder(online: bool, user_agent: str, cache: GeocodeCache | None = None) -> Geocoder:
    """The geocoder the app should use.

    Offline: ZIP codes only. Online: ZIP codes offline, anything else through
    OpenStreetMap Nominatim, whose usage policy asks for a real user agent
    and at most one request per second.
    """
    if not online:
        return OfflineZipGeocoder()
    from geopy.geocoders import Nominatim

    return OfflineFirstGeocoder(Nominatim(user_agent=user_agent), cache)
