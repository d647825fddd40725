"""Translations: gettext catalogs compiled by Babel, one per supported language."""

from __future__ import annotations

import gettext as _gettext
import io
from functools import cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from surge.kernel.paths import LOCALE_DIR
DOMAIN = "messages"
LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where the reader's language is known."""
    return message


@cache
def translations(language: str) -> _gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    found = Translations.load(str(LOCALE_DIR), [language], domain=DOMAIN)
    if isinstance(found, Translations):
        return found
    # No compiled .mo (an install that skipped `make catalogs`): compile the .po in memory instead.
    source = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not source.exists():
        raise RuntimeError(f"No catalog for {language!r} in {LOCALE_DIR}")
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def negotiate(accept_language: str | None) -> str:
    """Pick a supported language from an Accept-Language header."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    ranked = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, tag.strip().lower().split("-")[0]))
    for _q, _i, tag in sorted(ranked):
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


def written_for(spoken) -> str:
    """The language to write in to someone (a person, an agency) who speaks `spoken`: Spanish to one who speaks
    Spanish and not English; English otherwise, and when nothing is known."""
    spoken = set(spoken or ())
    return "es" if "es" in spoken and "en" not in spoken else DEFAULT_LANGUAGE


def translate(language: str, message: str, **params) -> str:
    text = translations(language).gettext(message)
    return text % params if params else text
