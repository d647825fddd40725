"""A brief as documents: the HTML page and the printable PDF, both from the stored row alone (its figures and
narrative as produced), so a brief reads the same however late it is opened."""

from __future__ import annotations

import functools
import json
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from clearinghouse.taxonomy import DONATION_CATEGORIES, SKILLS
from surge.briefs import periods
from surge.briefs.access import find_incident
from surge.briefs.document_words import words_for
from surge.briefs.models import Brief
from surge.briefs.schedules import of_incident, rule_of
from surge.kernel.clock import utcnow
from surge.kernel.i18n import translations
from surge.kernel.paths import TEMPLATES_DIR
from surge.kernel.templates import make_environment
from surge.needs.categories import CATEGORY_LABELS, UNMET_REASON_LABELS

TEMPLATE = "briefs/brief.html"
TERM_LABELS = {term.code: term.label for term in (*SKILLS, *DONATION_CATEGORIES)}


@functools.cache
def environment():
    return make_environment(TEMPLATES_DIR)


def filename(brief: Brief, extension: str) -> str:
    return f"{brief.incident_slug}-brief-{brief.number}.{extension}"


def _local(value: datetime | None, zone: ZoneInfo) -> str:
    return "" if value is None else value.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def _drawings(figures: dict, counties: list[str], timezone: str, gettext) -> dict:
    from surge.briefs import charts  # matplotlib loads when a brief is first drawn, not with every process

    calls = figures.get("calls") or {}
    needs = figures.get("needs") or {}
    rates = {row["county_fips"]: row["per_10k"] for row in needs.get("by_county", []) if row.get("per_10k") is not None}
    return {
        "calls_chart": charts.calls_by_hour(calls.get("by_hour") or [], timezone=timezone, words={
            "offered": gettext("Offered"), "answered": gettext("Answered"), "abandoned": gettext("Abandoned"),
            "calls": gettext("Calls"), "title": gettext("Calls by hour")}),
        # The incident's counties, and any other county a need was logged in (a caller from next door).
        "needs_map": charts.needs_map([*counties, *rates], rates, words={
            "scale": gettext("Needs per 10,000 residents"), "none": gettext("No needs logged"),
            "title": gettext("Map: needs per 10,000 residents in the incident's counties")})
        if not needs.get("no_data", True) else None,
    }


def context(session: Session, brief: Brief, *, language: str, now: datetime | None = None) -> dict:
    incident = find_incident(session, brief.incident_slug)
    schedule = of_incident(session, brief.incident_slug)
    now = now or utcnow()
    next_at = periods.next_end(rule_of(schedule), now=now) if schedule is not None and schedule.enabled else None
    zone = ZoneInfo(incident.timezone)
    figures = json.loads(brief.figures or "{}")
    catalog = translations(language)
    gettext = catalog.gettext
    return {
        "lang": language, "gettext": gettext, "ngettext": catalog.ngettext, "_": gettext,
        "incident": incident, "brief": brief, "figures": figures, "narrative": brief.narrative or {},
        "period_start": _local(brief.period_start, zone), "period_end": _local(brief.period_end, zone),
        "next_brief_at": _local(next_at, zone), "made_at": _local(brief.created_at, zone),
        "category_label": lambda code: gettext(CATEGORY_LABELS.get(code, code)),
        "reason_label": lambda code: gettext(UNMET_REASON_LABELS.get(code, code)),
        "term_label": lambda code: gettext(TERM_LABELS.get(code, code)),
        **words_for(gettext),
        **_drawings(figures, list(incident.counties), incident.timezone, gettext),
    }


def html(session: Session, brief: Brief, *, language: str = "en", now: datetime | None = None,
         print_version: bool = False) -> str:
    """The whole page. The narrative is text: autoescaped, so markup typed into it shows as typed."""
    values = context(session, brief, language=language, now=now)
    return environment().get_template(TEMPLATE).render({**values, "print_version": print_version})


def pdf(session: Session, brief: Brief, *, language: str = "en", now: datetime | None = None) -> bytes:
    from surge.briefs.documents_pdf import render_pdf  # WeasyPrint loads only when a PDF is asked for

    return render_pdf(html(session, brief, language=language, now=now, print_version=True))
