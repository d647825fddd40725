"""CAP geocodes as county FIPS codes: SAME and FIPS6 (0SSCCC; SS000 is the whole state), and UGC county codes.

UGC zone codes (TXZ213) are forecast zones, not counties: they are reported as unresolved, never guessed.
"""

from __future__ import annotations

import re

import geo
from geo.states import STATES

_SIX_DIGITS = re.compile(r"^\d{6}$")
_UGC = re.compile(r"^([A-Z]{2})([CZ])(\d{3})$")
_STATE_BY_POSTAL = {state.code: state.fips for state in STATES.values()}
COUNTY_CODE_NAMES = ("SAME", "FIPS6")
UGC_NAMES = ("UGC",)


def state_counties(state_fips: str) -> list[str]:
    return [county.fips for county in geo.all_counties() if county.fips.startswith(state_fips)]


def _known(fips: str) -> bool:
    try:
        geo.county(fips)
    except (geo.UnknownCode, geo.InvalidInput):
        return False
    return True


def _of_fips6(value: str) -> list[str]:
    # The first digit of a SAME code names a part of the county (0 = all of it); the county is the same.
    if not _SIX_DIGITS.match(value):
        return []
    state, county = value[1:3], value[3:6]
    if county == "000":
        return state_counties(state) if state in STATES else []
    fips = state + county
    return [fips] if _known(fips) else []


def _of_ugc(value: str) -> list[str]:
    match = _UGC.match(value)
    if not match or match.group(2) != "C" or match.group(1) not in _STATE_BY_POSTAL:
        return []
    fips = _STATE_BY_POSTAL[match.group(1)] + match.group(3)
    return [fips] if _known(fips) else []


def resolve(geocodes) -> tuple[set[str], list[str]]:
    """(county FIPS codes, the codes that name no county we know, in their order)."""
    counties: set[str] = set()
    unresolved: list[str] = []
    for name, value in geocodes:
        kind = name.strip().upper()
        value = value.strip().upper()
        if kind in COUNTY_CODE_NAMES:
            found = _of_fips6(value)
        elif kind in UGC_NAMES:
            found = _of_ugc(value)
        else:
            found = []
            value = f"{name.strip()}:{value}"[:60]  # a code of another kind, named with its kind
        if found:
            counties.update(found)
        elif value and value not in unresolved:
            unresolved.append(value[:60])
    return counties, unresolved
