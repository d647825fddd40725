"""A CAP event name ("Flash Flood Warning", "SEVERE THUNDERSTORM") as the FEMA incident type it most likely is.

The answer is one of OpenFEMA's incidentType names (surge.incidents.models.IncidentType spells the same
ones); the emergency manager confirms it before anything is stored.
"""

from __future__ import annotations

# Checked in order: the more specific phrase first ("Tropical Storm" before "Storm", "Ice Storm" before
# "Winter Storm", "Coastal Flood" before "Flood").
_BY_WORDS: tuple[tuple[str, str], ...] = (
    ("HURRICANE", "Hurricane"),
    ("TYPHOON", "Typhoon"),
    ("TROPICAL STORM", "Tropical Storm"),
    ("STORM SURGE", "Coastal Storm"),
    ("COASTAL FLOOD", "Coastal Storm"),
    ("TSUNAMI", "Tsunami"),
    (" DAM ", "Dam/Levee Break"),
    ("LEVEE", "Dam/Levee Break"),
    ("FLOOD", "Flood"),
    ("TORNADO", "Tornado"),
    ("THUNDERSTORM", "Severe Storm"),
    ("HIGH WIND", "Severe Storm"),
    ("RED FLAG", "Fire"),
    ("FIRE", "Fire"),
    ("ICE STORM", "Severe Ice Storm"),
    ("BLIZZARD", "Winter Storm"),
    ("WINTER STORM", "Winter Storm"),
    ("SNOW", "Winter Storm"),
    ("EARTHQUAKE", "Earthquake"),
    ("VOLCAN", "Volcanic Eruption"),
    ("ASHFALL", "Volcanic Eruption"),
    ("LANDSLIDE", "Mud/Landslide"),
    ("MUDSLIDE", "Mud/Landslide"),
    ("DEBRIS FLOW", "Mud/Landslide"),
    ("AVALANCHE", "Mud/Landslide"),
    ("DROUGHT", "Drought"),
    ("HAZARDOUS MATERIALS", "Chemical"),
    ("CHEMICAL", "Chemical"),
    ("RADIOLOGICAL", "Chemical"),
    ("BIOLOGICAL", "Biological"),
    ("TERROR", "Terrorist"),
)
# CAP's own <category> when the event name says nothing we know.
_BY_CATEGORY = {"FIRE": "Fire", "CBRNE": "Chemical", "GEO": "Earthquake"}
OTHER = "Other"


def incident_type(event: str, categories: tuple[str, ...] = ()) -> str:
    words = f" {' '.join(event.upper().split())} "
    for phrase, kind in _BY_WORDS:
        if phrase in words:
            return kind
    for category in categories:
        if category.upper() in _BY_CATEGORY:
            return _BY_CATEGORY[category.upper()]
    return OTHER
