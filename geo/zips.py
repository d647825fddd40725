"""ZIP codes: which counties each one serves, and where its centre is.

A ZIP code is a postal route, not an area. The HUD-USPS crosswalk says what
share of a ZIP's addresses falls in each county; the county with the largest
share of residences is the primary one, and the rest are alternatives. ZIP
codes with no residences at all (PO boxes, businesses) rank by total
addresses instead. The centre point is the ZCTA centroid, which PO-box and
single-building ZIP codes do not have.
"""

from collections import defaultdict
from types import MappingProxyType
from typing import Mapping, NamedTuple

from . import sources
from ._lazy import once
from .errors import UnknownCode
from .validate import parse_zip

# The 2020 crosswalk still uses two codes retired in 2015; the boundary file
# uses their successors (Wade Hampton -> Kusilvak AK, Shannon -> Oglala Lakota SD).
_RENAMED_COUNTIES = {"02270": "02158", "46113": "46102"}


class ZipShare(NamedTuple):
    county_fips: str
    ratio: float  # share of the ZIP's residences (or of all addresses, see above)


def _ratio(text: str) -> float:
    return float(text) if text else 0.0  # a few rows leave the ratios blank


@once
def _shares() -> dict[str, tuple[ZipShare, ...]]:
    rows: dict[str, dict[str, list[float]]] = defaultdict(dict)
    for zip_code, county, res_ratio, tot_ratio in sources.read_columns(
            sources.ZIP_COUNTY, "ZIP", "COUNTY", "RES_RATIO", "TOT_RATIO"):
        fips = _RENAMED_COUNTIES.get(county, county)
        entry = rows[zip_code].setdefault(fips, [0.0, 0.0])
        entry[0] += _ratio(res_ratio)
        entry[1] += _ratio(tot_ratio)
    table = {}
    for zip_code, counties in rows.items():
        by_residence = any(res > 0 for res, _ in counties.values())
        # Rank by the chosen ratio, then by total addresses, then by code,
        # so that ties always resolve the same way.
        ranked = sorted(counties.items(), key=lambda item: (-item[1][0 if by_residence else 1], -item[1][1], item[0]))
        table[zip_code] = tuple(ZipShare(fips, r[0] if by_residence else r[1]) for fips, r in ranked)
    return table


@once
def _centroids() -> dict[str, tuple[float, float]]:
    return {
        zip_code: (float(lat), float(lon))
        for zip_code, lat, lon in sources.read_columns(sources.ZCTA_CENTROIDS, "zip", "latitude", "longitude")
    }


def zip_shares(zip_code: str) -> tuple[ZipShare, ...]:
    """Counties of a ZIP code, primary first, then alternatives by ratio."""
    code = parse_zip(zip_code)
    shares = _shares().get(code)
    if shares is None:
        raise UnknownCode(f"The ZIP code {code} is not in the ZIP code list.")
    return shares


def zip_centroid(zip_code: str) -> tuple[float, float] | None:
    """(lat, lon) of the ZIP's ZCTA centroid, or None if it has none."""
    return _centroids().get(parse_zip(zip_code))


def shares_by_zip() -> Mapping[str, tuple[ZipShare, ...]]:
    """Read-only table of every ZIP code in the crosswalk."""
    return MappingProxyType(_shares())


def centroids_by_zip() -> Mapping[str, tuple[float, float]]:
    """Read-only table of ZCTA centroids, (lat, lon) by ZIP code."""
    return MappingProxyType(_centroids())
