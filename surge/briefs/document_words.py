"""A brief's codes in words for its readers: versions, kinds, clearinghouse states, key figures."""

from __future__ import annotations

from surge.kernel.i18n import N_

VERSION_WORDS = {"initial": N_("Initial"), "update": N_("Update"), "final": N_("Final")}
KIND_WORDS = {"scheduled": N_("Scheduled"), "on_demand": N_("On demand")}
CLEARINGHOUSE_STATUS_WORDS = {"open": N_("Open"), "full": N_("Full"), "paused": N_("Paused")}
KEY_FIGURE_WORDS = {
    "calls_offered": N_("Calls offered"), "calls_answered": N_("Calls answered"),
    "abandon_rate": N_("Abandon rate"), "asa_s": N_("Average speed of answer (s)"),
    "overflowed_calls": N_("Calls overflowed"), "volunteers_registered": N_("Volunteers registered"),
    "volunteers_referred": N_("Volunteers referred"), "donations_offered": N_("Donations offered"),
    "cash_pledged": N_("Cash pledged"), "referrals_awaiting_acknowledgement": N_("Referrals awaiting acknowledgement"),
    "needs_logged": N_("Needs logged"), "needs_unmet": N_("Unmet needs"),
}
NARRATIVE_WORDS = {"situation": N_("Situation"), "actions": N_("Actions taken"),
                   "rumor_control": N_("Rumor control"), "next_steps": N_("Next steps")}


def words_for(gettext) -> dict:
    def lookup(table: dict[str, str]):
        return lambda code: gettext(table[code]) if code in table else code

    return {"version_word": lookup(VERSION_WORDS), "kind_word": lookup(KIND_WORDS),
            "status_word": lookup(CLEARINGHOUSE_STATUS_WORDS), "key_figure_word": lookup(KEY_FIGURE_WORDS),
            "narrative_word": lookup(NARRATIVE_WORDS)}
