"""The categories of need and the reasons a need went unmet: codes, labels, and taxonomy prefixes, as data.

Each category maps to a code prefix of the 211 LA County / AIRS (211 HSIS) taxonomy, chosen among its
published terms so that a center's own coded records fall into our categories by longest prefix
(`category_of_code`). A center loads the licensed taxonomy itself; an import may also map its own
words or codes to a category explicitly.
"""

from __future__ import annotations

from enum import StrEnum

from surge.kernel.i18n import N_


class Category(StrEnum):
    SHELTER = "shelter"
    FOOD = "food"
    WATER = "water"
    HOUSING_REPAIR = "housing_repair"
    DEBRIS = "debris"
    UTILITIES = "utilities"
    MEDICAL = "medical"
    MENTAL_HEALTH = "mental_health"
    TRANSPORTATION = "transportation"
    FINANCIAL_ASSISTANCE = "financial_assistance"
    FEMA_REGISTRATION = "fema_registration"
    MISSING_PERSONS = "missing_persons"
    OTHER = "other"


class UnmetReason(StrEnum):
    NO_SERVICE = "no_service"
    NOT_ELIGIBLE = "not_eligible"
    WAITLIST = "waitlist"
    COULD_NOT_REACH = "could_not_reach"
    OTHER = "other"


CATEGORY_LABELS: dict[str, str] = {
    Category.SHELTER: N_("Shelter"),
    Category.FOOD: N_("Food"),
    Category.WATER: N_("Drinking water"),
    Category.HOUSING_REPAIR: N_("Housing repair"),
    Category.DEBRIS: N_("Debris removal and clean-up"),
    Category.UTILITIES: N_("Utilities"),
    Category.MEDICAL: N_("Medical care"),
    Category.MENTAL_HEALTH: N_("Mental health and crisis counselling"),
    Category.TRANSPORTATION: N_("Transportation"),
    Category.FINANCIAL_ASSISTANCE: N_("Financial assistance"),
    Category.FEMA_REGISTRATION: N_("FEMA registration"),
    Category.MISSING_PERSONS: N_("Missing persons"),
    Category.OTHER: N_("Other need"),
}

# Category -> taxonomy code prefix; None: no single term (the catch-all).
TAXONOMY_PREFIXES: dict[str, str | None] = {
    Category.SHELTER: "BH-1800",  # Emergency Shelter
    Category.FOOD: "BD-1800",  # Emergency Food
    Category.WATER: "BD-1800.9500",  # drinking water under Emergency Food
    Category.HOUSING_REPAIR: "BH-3000",  # Home Maintenance and Minor Repair
    Category.DEBRIS: "TH-2600.1500",  # disaster clean-up within Disaster Relief Services
    Category.UTILITIES: "BV",  # Utilities
    Category.MEDICAL: "L",  # Health Care
    Category.MENTAL_HEALTH: "R",  # Mental Health and Substance Use Disorder Services
    Category.TRANSPORTATION: "BT",  # Transportation
    Category.FINANCIAL_ASSISTANCE: "BR",  # Temporary Financial Assistance
    Category.FEMA_REGISTRATION: "TH-2600.1700",  # disaster assistance applications within Disaster Relief Services
    Category.MISSING_PERSONS: "FN-1500.5000",  # Missing Persons Locator
    Category.OTHER: None,
}

UNMET_REASON_LABELS: dict[str, str] = {
    UnmetReason.NO_SERVICE: N_("No service available"),
    UnmetReason.NOT_ELIGIBLE: N_("Not eligible"),
    UnmetReason.WAITLIST: N_("On a waiting list"),
    UnmetReason.COULD_NOT_REACH: N_("Could not reach the service"),
    UnmetReason.OTHER: N_("Other reason"),
}

CATEGORIES = tuple(category.value for category in Category)
UNMET_REASONS = tuple(reason.value for reason in UnmetReason)


def category_of_code(code: str) -> str | None:
    """The category whose taxonomy prefix is the longest one `code` starts with ("BD-1800.2000" -> food), or None.

    A prefix matches whole segments only: "BH-1800" takes "BH-1800.8500" but not "BH-18009".
    """
    code = code.strip().upper()
    best: tuple[int, str] | None = None
    for category, prefix in TAXONOMY_PREFIXES.items():
        if prefix is None or not code.startswith(prefix):
            continue
        rest = code[len(prefix):]
        if rest and len(prefix) > 2 and rest[0] not in "-.":  # a letter prefix ("BV") takes any term below it
            continue
        if best is None or len(prefix) > best[0]:
            best = (len(prefix), str(category))
    return best[1] if best else None
