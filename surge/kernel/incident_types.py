"""FEMA's incident types: named by incidents and by clearinghouse protocols, so they live below both."""

from __future__ import annotations

from enum import StrEnum


class IncidentType(StrEnum):
    """FEMA's incident types, as OpenFEMA names them."""

    HURRICANE = "Hurricane"
    FLOOD = "Flood"
    FIRE = "Fire"
    SEVERE_STORM = "Severe Storm"
    TORNADO = "Tornado"
    EARTHQUAKE = "Earthquake"
    WINTER_STORM = "Winter Storm"
    SEVERE_ICE_STORM = "Severe Ice Storm"
    COASTAL_STORM = "Coastal Storm"
    TROPICAL_STORM = "Tropical Storm"
    TYPHOON = "Typhoon"
    MUD_LANDSLIDE = "Mud/Landslide"
    TSUNAMI = "Tsunami"
    VOLCANIC_ERUPTION = "Volcanic Eruption"
    DROUGHT = "Drought"
    BIOLOGICAL = "Biological"
    CHEMICAL = "Chemical"
    TERRORIST = "Terrorist"
    DAM_LEVEE_BREAK = "Dam/Levee Break"
    OTHER = "Other"
