"""US geography for routing requests: counties, ZIP codes, points and areas.

Reference data ships in geo/data and loads on first use (once per process),
so importing this package is cheap. The database column type and the geopy
geocoders are loaded only when asked for, as they pull in heavier libraries.
"""

from .counties import County, all_counties, county
from .coverage import counties_covering
from .errors import GeoError, InvalidInput, NewerThanData, NotFound, UnknownCode
from .index import counties_at, county_at
from .location import Alternative, Location, locate_county, locate_point, locate_zip
from .shapes import ParsedShape, parse_geojson_polygon, to_geojson
from .zips import ZipShare, zip_centroid, zip_shares

_LAZY = {
    "Geometry": "column",
    "bbox_columns": "column",
    "GeocodeCache": "geopy_geocoders",
    "MemoryCache": "geopy_geocoders",
    "OfflineZipGeocoder": "geopy_geocoders",
    "OfflineFirstGeocoder": "geopy_geocoders",
    "make_geocoder": "geopy_geocoders",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Alternative",
    "County",
    "GeoError",
    "InvalidInput",
    "NewerThanData",
    "Location",
    "NotFound",
    "ParsedShape",
    "UnknownCode",
    "ZipShare",
    "all_counties",
    "counties_at",
    "counties_covering",
    "county",
    "county_at",
    "locate_county",
    "locate_point",
    "locate_zip",
    "parse_geojson_polygon",
    "to_geojson",
    "zip_centroid",
    "zip_shares",
    *_LAZY,
]
