"""The time zone most of a state keeps: a first guess for an incident drawn from an alert, which the
emergency manager confirms (a few states span two zones; the counties' own zone is not in the data)."""

from __future__ import annotations

from collections import Counter

_EASTERN, _CENTRAL, _MOUNTAIN, _PACIFIC = "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"
_BY_STATE = {
    "01": _CENTRAL, "02": "America/Anchorage", "04": "America/Phoenix", "05": _CENTRAL, "06": _PACIFIC,
    "08": _MOUNTAIN, "09": _EASTERN, "10": _EASTERN, "11": _EASTERN, "12": _EASTERN, "13": _EASTERN,
    "15": "Pacific/Honolulu", "16": "America/Boise", "17": _CENTRAL, "18": "America/Indiana/Indianapolis",
    "19": _CENTRAL, "20": _CENTRAL, "21": _EASTERN, "22": _CENTRAL, "23": _EASTERN, "24": _EASTERN, "25": _EASTERN,
    "26": "America/Detroit", "27": _CENTRAL, "28": _CENTRAL, "29": _CENTRAL, "30": _MOUNTAIN, "31": _CENTRAL,
    "32": _PACIFIC, "33": _EASTERN, "34": _EASTERN, "35": _MOUNTAIN, "36": _EASTERN, "37": _EASTERN,
    "38": _CENTRAL, "39": _EASTERN, "40": _CENTRAL, "41": _PACIFIC, "42": _EASTERN, "44": _EASTERN,
    "45": _EASTERN, "46": _CENTRAL, "47": _CENTRAL, "48": _CENTRAL, "49": _MOUNTAIN, "50": _EASTERN,
    "51": _EASTERN, "53": _PACIFIC, "54": _EASTERN, "55": _CENTRAL, "56": _MOUNTAIN, "60": "Pacific/Pago_Pago",
    "66": "Pacific/Guam", "69": "Pacific/Saipan", "72": "America/Puerto_Rico", "78": "America/St_Thomas",
}
DEFAULT = _CENTRAL


def likely_timezone(counties: list[str]) -> str:
    """The zone of the state that holds most of the counties."""
    states = Counter(fips[:2] for fips in counties)
    if not states:
        return DEFAULT
    return _BY_STATE.get(states.most_common(1)[0][0], DEFAULT)
