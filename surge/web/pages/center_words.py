"""Centers in words for people: opening hours, trigger names, open state and status freshness."""

from __future__ import annotations

from surge.centers.hours import ALWAYS, DAYS
from surge.kernel.i18n import N_

DAY_NAMES = {"mon": N_("Mon"), "tue": N_("Tue"), "wed": N_("Wed"), "thu": N_("Thu"), "fri": N_("Fri"),
             "sat": N_("Sat"), "sun": N_("Sun")}

# %(n)s is the trigger's threshold; the JavaScript wallboard gets the same phrases.
TRIGGER_WORDS = {
    "always": N_("always"),
    "after_hours": N_("after hours"),
    "closed": N_("closed"),
    "calls_waiting": N_("%(n)s or more calls waiting"),
    "longest_wait_s": N_("a call waiting %(n)s s or more"),
    "no_agents": N_("no agent available"),
    "status_unknown": N_("status unknown"),
}

OPEN_WORDS = {
    "closure": N_("Closed (closure)"),
    "reported_closed": N_("Closed (reported)"),
    "reported_open": N_("Open (reported)"),
    "scheduled_open": N_("Open (by hours)"),
    "after_hours": N_("Closed (after hours)"),
}

STATUS_WORDS = {"fresh": N_("Fresh"), "stale": N_("Stale"), "missing": N_("Never reported")}

INACTIVE_WORDS = {
    "disaster_only": N_("inactive: disaster only"),
    "not_yet_valid": N_("inactive: not yet valid"),
    "expired": N_("inactive: expired"),
}


def trigger_words(gettext, name: str, value=None) -> str:
    return gettext(TRIGGER_WORDS.get(name, name)) % {"n": value}


def configured_triggers(gettext, triggers: dict) -> list[str]:
    return [trigger_words(gettext, name, value) for name, value in triggers.items() if value]


def hours_in_words(gettext, hours) -> str:
    """"24 hours, every day", or runs of days with the same hours: "Mon–Fri 08:00–18:00; Sat 09:00–17:00"."""
    if hours == ALWAYS:
        return gettext(N_("24 hours, every day"))
    runs: list[tuple[list[str], str]] = []
    for day in DAYS:
        ranges = ", ".join(f"{start}–{end}" for start, end in hours.get(day, []))
        if runs and runs[-1][1] == ranges:
            runs[-1][0].append(day)
        else:
            runs.append(([day], ranges))
    parts = []
    for days, ranges in runs:
        if not ranges:
            continue
        label = gettext(DAY_NAMES[days[0]])
        if len(days) > 1:
            label += "–" + gettext(DAY_NAMES[days[-1]])
        parts.append(f"{label} {ranges}")
    return "; ".join(parts) if parts else gettext(N_("Closed every day"))


def closure_in_words(closure) -> str:
    if isinstance(closure, str):
        return closure
    return f"{closure['from']} – {closure['to']}"


def seconds_in_words(gettext, seconds: int | None) -> str:
    """A short age or wait: "45 s", "3 min", "2 h 5 min"."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return gettext(N_("%(n)s s")) % {"n": seconds}
    if seconds < 3600:
        return gettext(N_("%(n)s min")) % {"n": seconds // 60}
    return gettext(N_("%(h)s h %(m)s min")) % {"h": seconds // 3600, "m": seconds % 3600 // 60}


def call_window(gettext, window) -> str:
    """Calls over a window in one short line: "120 / 112 · 4% · 18 s" (offered / answered, abandon rate, ASA)."""
    if window is None:
        return "—"
    rate = "—" if window.abandon_rate is None else f"{window.abandon_rate:.0%}"
    asa = "—" if window.asa_s is None else seconds_in_words(gettext, round(window.asa_s))
    return f"{window.offered} / {window.answered} · {rate} · {asa}"


def template_helpers(gettext) -> dict:
    """The functions and word tables the centers templates use, bound to the reader's language."""
    return {
        "hours_in_words": lambda hours: hours_in_words(gettext, hours),
        "triggers_in_words": lambda triggers: configured_triggers(gettext, triggers),
        "trigger_words": lambda name, value=None: trigger_words(gettext, name, value),
        "seconds_in_words": lambda seconds: seconds_in_words(gettext, seconds),
        "call_window": lambda window: call_window(gettext, window),
        "closure_in_words": closure_in_words,
        "open_words": OPEN_WORDS,
        "status_words": STATUS_WORDS,
        "inactive_words": INACTIVE_WORDS,
    }
