"""The open taxonomy: stable snake_case codes, every label translated, served in the caller's language."""

from __future__ import annotations

import re

from clearinghouse.taxonomy import CATEGORY_CODES, DONATION_CATEGORIES, SKILL_CODES, SKILLS
from surge.kernel.i18n import translate


def test_codes_are_unique_snake_case_and_cover_the_practice():
    for terms, codes in ((SKILLS, SKILL_CODES), (DONATION_CATEGORIES, CATEGORY_CODES)):
        assert len(codes) == len(terms)
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", term.code) for term in terms)
    assert {"debris_removal", "muck_out", "chainsaw", "interpreter", "cdl_driver"} <= SKILL_CODES
    assert {"water", "used_clothing", "cash", "ppe", "warehouse_space"} <= CATEGORY_CODES


def test_every_label_has_spanish():
    for term in (*SKILLS, *DONATION_CATEGORIES):
        assert translate("es", term.label) != term.label, term.code


def test_served_in_the_callers_language(client):
    english = client.get("/api/v1/taxonomy").json()
    spanish = client.get("/api/v1/taxonomy", headers={"accept-language": "es"}).json()
    assert [t["code"] for t in english["skills"]] == [t["code"] for t in spanish["skills"]]
    water = next(t for t in spanish["donation_categories"] if t["code"] == "water")
    assert water == {"code": "water", "label": "Agua", "hsis": None}
