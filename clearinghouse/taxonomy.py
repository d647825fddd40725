"""A small open taxonomy of volunteer skills and donation categories, drawn from volunteer-reception and
donations-management practice. Codes are stable lower-case snake_case; labels are translatable.

Each term may be mapped to a code of the licensed 211 HSIS taxonomy that a center loads itself
(`hsis` stays None here: Surge ships no licensed codes).
"""

from __future__ import annotations

from dataclasses import dataclass

from surge.kernel.i18n import N_
from surge.kernel.validation import one_of


@dataclass(frozen=True)
class Term:
    code: str
    label: str  # msgid
    hsis: str | None = None


SKILLS: tuple[Term, ...] = (
    Term("debris_removal", N_("Debris removal")),
    Term("muck_out", N_("Muck-out (flooded homes)")),
    Term("chainsaw", N_("Chainsaw (certified)")),
    Term("licensed_medical", N_("Licensed medical")),
    Term("mental_health", N_("Mental health")),
    Term("interpreter", N_("Interpreter")),
    Term("childcare", N_("Childcare")),
    Term("animal_care", N_("Animal care")),
    Term("construction_trades", N_("Construction trades")),
    Term("cdl_driver", N_("CDL driver")),
    Term("warehouse", N_("Warehouse")),
    Term("food_service", N_("Food service")),
    Term("shelter_support", N_("Shelter support")),
    Term("phone_bank", N_("Phone bank")),
    Term("data_entry", N_("Data entry")),
    Term("general_labor", N_("General labor")),
)

DONATION_CATEGORIES: tuple[Term, ...] = (
    Term("water", N_("Water")),
    Term("non_perishable_food", N_("Non-perishable food")),
    Term("infant_supplies", N_("Infant supplies")),
    Term("hygiene", N_("Hygiene")),
    Term("cleaning_supplies", N_("Cleaning supplies")),
    Term("bedding", N_("Bedding")),
    Term("new_clothing", N_("New clothing")),
    Term("used_clothing", N_("Used clothing")),
    Term("furniture", N_("Furniture")),
    Term("appliances", N_("Appliances")),
    Term("building_materials", N_("Building materials")),
    Term("tools", N_("Tools")),
    Term("ppe", N_("Personal protective equipment")),
    Term("pet_supplies", N_("Pet supplies")),
    Term("medical_supplies", N_("Medical supplies")),
    Term("gift_cards", N_("Gift cards")),
    Term("vehicles", N_("Vehicles")),
    Term("warehouse_space", N_("Warehouse space")),
    Term("transportation", N_("Transportation")),
    Term("cash", N_("Cash")),
)

SKILL_CODES = frozenset(term.code for term in SKILLS)
CATEGORY_CODES = frozenset(term.code for term in DONATION_CATEGORIES)

SKILLS_MESSAGE = N_("Use skill codes from the taxonomy (GET /api/v1/taxonomy).")
CATEGORIES_MESSAGE = N_("Use donation category codes from the taxonomy (GET /api/v1/taxonomy).")


def clean_skills(values: list[str]) -> list[str]:
    return one_of(values, SKILL_CODES, SKILLS_MESSAGE)


def clean_categories(values: list[str]) -> list[str]:
    return one_of(values, CATEGORY_CODES, CATEGORIES_MESSAGE)
