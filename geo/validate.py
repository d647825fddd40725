"""Checks and normalisation for codes and coordinates coming from outside."""

import math
import re

import numpy as np

from .errors import InvalidInput

_FIVE_DIGITS = re.compile(r"[0-9]{5}")
_ZIP = re.compile(r"([0-9]{5})(?:-[0-9]{4})?")


def parse_fips(value) -> str:
    """A 5-digit county FIPS code, surrounding whitespace removed."""
    if not isinstance(value, str):
        raise InvalidInput("county", f"A county FIPS code must be text, not {value!r}.")
    text = value.strip()
    if not _FIVE_DIGITS.fullmatch(text):
        raise InvalidInput("county", f"{value!r} is not a county FIPS code: it must be exactly 5 digits.")
    return text


def parse_zip(value) -> str:
    """The 5-digit ZIP code in `value`; a ZIP+4 such as 77002-1234 gives 77002."""
    if not isinstance(value, str):
        raise InvalidInput("zip", f"A ZIP code must be text, not {value!r}.")
    match = _ZIP.fullmatch(value.strip())
    if match is None:
        raise InvalidInput("zip", f"{value!r} is not a ZIP code: it must be 5 digits, like 77002 or 77002-1234.")
    return match.group(1)


def _coordinate(value, field: str, limit: float) -> float:
    # bool is an int subclass but never a meaningful coordinate.
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidInput(field, f"The {_NAMES[field]} must be a number, not {value!r}.")
    number = float(value)
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise InvalidInput(field, f"The {_NAMES[field]} {number!r} is out of range: it must be between {-limit:g} and {limit:g}.")
    return number


_NAMES = {"lat": "latitude", "lon": "longitude"}


def check_lat_lon(lat, lon) -> tuple[float, float]:
    """Latitude and longitude as floats, after range and finiteness checks."""
    return _coordinate(lat, "lat", 90.0), _coordinate(lon, "lon", 180.0)


def check_lat_lon_arrays(lats, lons) -> tuple[np.ndarray, np.ndarray]:
    """Float arrays of equal shape, each value finite and in range."""
    try:
        lat = np.asarray(lats, dtype=np.float64)
        lon = np.asarray(lons, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidInput("lat", "Latitudes and longitudes must be arrays of numbers.") from None
    if lat.shape != lon.shape:
        raise InvalidInput("lon", f"There are {lat.size} latitudes but {lon.size} longitudes.")
    for field, values, limit in (("lat", lat, 90.0), ("lon", lon, 180.0)):
        bad = ~(np.abs(values) <= limit)  # also true for NaN
        if bad.any():
            first = float(values[bad].flat[0])
            raise InvalidInput(field, f"The {_NAMES[field]} {first!r} is out of range: it must be between {-limit:g} and {limit:g}.")
    return lat, lon
