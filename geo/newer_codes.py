"""County codes created after the boundary data was drawn.

The boundaries (and the HUD crosswalk that must agree with them) predate
these codes, so they cannot be located; asking for one gets an answer that
says so and names the data's vintage (and, where the data allows, the code
that covered the same ground), instead of calling a real code unknown.
"""

from typing import NamedTuple


class NewerCode(NamedTuple):
    name: str
    since: int  # year the code came into use
    formerly: tuple[str, ...]  # codes in the data that covered its ground


# Valdez-Cordova split in two; the data has the old census area.
_VALDEZ_CORDOVA = ("02261",)
# Connecticut's planning regions replaced its eight counties as county
# equivalents. Each takes towns from one to three former counties, and the
# data has no towns, so no former code stands for a region.
NEWER_CODES: dict[str, NewerCode] = {
    "02063": NewerCode("Chugach Census Area, AK", 2019, _VALDEZ_CORDOVA),
    "02066": NewerCode("Copper River Census Area, AK", 2019, _VALDEZ_CORDOVA),
    "09110": NewerCode("Capitol Planning Region, CT", 2022, ()),
    "09120": NewerCode("Greater Bridgeport Planning Region, CT", 2022, ()),
    "09130": NewerCode("Lower Connecticut River Valley Planning Region, CT", 2022, ()),
    "09140": NewerCode("Naugatuck Valley Planning Region, CT", 2022, ()),
    "09150": NewerCode("Northeastern Connecticut Planning Region, CT", 2022, ()),
    "09160": NewerCode("Northwest Hills Planning Region, CT", 2022, ()),
    "09170": NewerCode("South Central Connecticut Planning Region, CT", 2022, ()),
    "09180": NewerCode("Southeastern Connecticut Planning Region, CT", 2022, ()),
    "09190": NewerCode("Western Connecticut Planning Region, CT", 2022, ()),
}
