"""Resolve a ZIP code, a county FIPS code or a point to one county and a point.

Every answer is a `Location`: the county, a point to show on a map, and for
ZIP codes that span several counties, the other counties as alternatives.
"""

from dataclasses import dataclass

from . import boundary_file, sources
from ._lazy import once
from .counties import County, counties_by_fips, county
from .errors import NotFound, UnknownCode
from .index import county_at
from .validate import check_lat_lon, parse_zip
from .zips import centroids_by_zip, shares_by_zip


@dataclass(frozen=True)
class Alternative:
    county_fips: str
    county: str
    state: str
    ratio: float  # share of the ZIP's addresses in this county

    def to_dict(self) -> dict:
        return {"county_fips": self.county_fips, "county": self.county, "state": self.state, "ratio": self.ratio}


@dataclass(frozen=True)
class Location:
    county_fips: str
    county: str
    state: str
    lat: float | None
    lon: float | None
    alternatives: tuple[Alternative, ...] = ()
    source: str = "point"  # what was looked up: "zip", "county" or "point"
    # Where lat/lon come from: "zcta" (ZIP centroid), "county" (a point inside
    # the county), "input" (the caller's own point) or None (no point known).
    point_source: str | None = "input"

    def to_dict(self) -> dict:
        return {
            "county_fips": self.county_fips,
            "county": self.county,
            "state": self.state,
            "lat": self.lat,
            "lon": self.lon,
            "alternatives": [a.to_dict() for a in self.alternatives],
            "source": self.source,
            "point_source": self.point_source,
        }


@once
def _county_points() -> dict[str, tuple[tuple[float, float], str]]:
    """A point inside each county: ((lat, lon), point_source).

    The points are computed once, when the 1:500k file is derived, with
    point_on_surface: unlike the centroid, it always falls inside the
    county (a crescent-shaped county's centroid can lie in its neighbour).
    """
    table = boundary_file.read_table(sources.DATA_DIR / sources.POINT_BOUNDARIES)
    return {
        fips: ((round(lat, 6), round(lon, 6)), "county")
        for fips, (lon, lat) in zip(table.fips, table.interior.tolist())
    }


def _location(c: County, point, source: str, point_source: str | None, alternatives=()) -> Location:
    lat, lon = point if point else (None, None)
    return Location(c.fips, c.name, c.state, lat, lon, tuple(alternatives), source, point_source)


@once
def _zip_locations() -> dict[str, Location]:
    counties = counties_by_fips()
    centroids = centroids_by_zip()
    county_points = _county_points()
    table = {}
    for zip_code, shares in shares_by_zip().items():
        primary = counties[shares[0].county_fips]
        alternatives = []
        for share in shares[1:]:
            other = counties[share.county_fips]
            alternatives.append(Alternative(other.fips, other.name, other.state, share.ratio))
        if zip_code in centroids:
            point, point_source = centroids[zip_code], "zcta"
        else:
            # PO box or single-building ZIP: a point standing for its county.
            point, point_source = county_points[primary.fips][0], "county"
        table[zip_code] = _location(primary, point, "zip", point_source, alternatives)
    return table


def locate_zip(zip_code: str) -> Location:
    """The primary county of a ZIP code and its centre point.

    ZIP codes without a centroid fall back to a point inside their county,
    flagged with point_source="county".
    """
    code = parse_zip(zip_code)
    found = _zip_locations().get(code)
    if found is None:
        raise UnknownCode(f"The ZIP code {code} is not in the ZIP code list.")
    return found


def locate_county(fips: str) -> Location:
    """A county and a point inside it."""
    c = county(fips)
    point, point_source = _county_points()[c.fips]
    return _location(c, point, "county", point_source)


def locate_point(lat: float, lon: float) -> Location:
    """The county containing a point; lat/lon are echoed back."""
    lat, lon = check_lat_lon(lat, lon)
    fips = county_at(lat, lon)
    if fips is None:
        raise NotFound(f"The point ({lat:g}, {lon:g}) is not inside any US county.")
    return _location(counties_by_fips()[fips], (lat, lon), "point", "input")

