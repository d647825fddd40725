"""Incidents in words for people: types, states, levels, linkage states, clearinghouse kinds and the
taxonomy's terms, in the reader's language."""

from __future__ import annotations

from clearinghouse.taxonomy import DONATION_CATEGORIES, SKILLS
from surge.kernel.i18n import N_
from surge.web.pages.center_words import DAY_NAMES

TYPE_WORDS = {
    "Hurricane": N_("Hurricane"), "Flood": N_("Flood"), "Fire": N_("Fire"), "Severe Storm": N_("Severe storm"),
    "Tornado": N_("Tornado"), "Earthquake": N_("Earthquake"), "Winter Storm": N_("Winter storm"),
    "Severe Ice Storm": N_("Severe ice storm"), "Coastal Storm": N_("Coastal storm"),
    "Tropical Storm": N_("Tropical storm"), "Typhoon": N_("Typhoon"), "Mud/Landslide": N_("Mud or landslide"),
    "Tsunami": N_("Tsunami"), "Volcanic Eruption": N_("Volcanic eruption"), "Drought": N_("Drought"),
    "Biological": N_("Biological"), "Chemical": N_("Chemical"), "Terrorist": N_("Terrorist"),
    "Dam/Levee Break": N_("Dam or levee break"), "Other": N_("Other"),
}

STATUS_WORDS = {"draft": N_("Draft"), "active": N_("Active"), "demobilizing": N_("Demobilizing"),
                "closed": N_("Closed")}

LEVEL_WORDS = {1: N_("Level 1: monitoring"), 2: N_("Level 2: partial activation"), 3: N_("Level 3: full activation")}

LINKAGE_WORDS = {"linked": N_("Linked"), "unlinked": N_("Unlinked"), "paused": N_("Paused")}

SOURCE_WORDS = {"protocol": N_("by protocol"), "manual": N_("by hand")}

KIND_WORDS = {
    "volunteer_reception_center": N_("Volunteer reception center"), "volunteer_center": N_("Volunteer center"),
    "voad_member": N_("VOAD member"), "donations_warehouse": N_("Donations warehouse"),
    "multi_agency_warehouse": N_("Multi-agency warehouse"), "government": N_("Government"), "other": N_("Other"),
}

NEED_WORDS = {"needed": N_("Needed"), "not_needed": N_("Not needed"), "full": N_("Full")}

TERM_WORDS = {term.code: term.label for term in (*SKILLS, *DONATION_CATEGORIES)}

REFERRAL_STATE_WORDS = {"sent": N_("Sent"), "acknowledged": N_("Acknowledged"), "accepted": N_("Accepted"),
                        "declined": N_("Declined"), "fulfilled": N_("Fulfilled"), "released": N_("Released")}

ACTION_WORDS = {"acknowledge": N_("Acknowledge"), "accept": N_("Accept"), "decline": N_("Decline"),
                "fulfill": N_("Mark fulfilled"), "release": N_("Release")}

RELEASE_WORDS = {"expired": N_("Expired"), "no_show": N_("No-show"), "cancelled": N_("Cancelled")}

SHIFT_WORDS = {"morning": N_("Morning"), "afternoon": N_("Afternoon"), "evening": N_("Evening"),
               "overnight": N_("Overnight")}


def template_helpers(gettext) -> dict:
    """Each table as a function of a code; an unknown code is shown as it is."""

    def words(table):
        return lambda code: gettext(table[code]) if code in table else str(code)

    return {"type_label": words(TYPE_WORDS), "status_label": words(STATUS_WORDS), "level_label": words(LEVEL_WORDS),
            "linkage_label": words(LINKAGE_WORDS), "source_label": words(SOURCE_WORDS),
            "kind_label": words(KIND_WORDS), "need_label": words(NEED_WORDS), "term_label": words(TERM_WORDS),
            "day_label": words(DAY_NAMES), "shift_label": words(SHIFT_WORDS),
            "referral_state_label": words(REFERRAL_STATE_WORDS), "action_label": words(ACTION_WORDS),
            "release_label": words(RELEASE_WORDS)}
