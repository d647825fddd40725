"""Catalogs: Spanish is complete, and works even where the compiled catalog is missing."""

import shutil

from babel.messages.pofile import read_po

from surge.kernel import i18n


def test_spanish_catalog_is_complete():
    with (i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    missing = [m.id for m in catalog if m.id and (not m.string or "fuzzy" in m.flags)]
    assert missing == []


def test_spanish_loads_from_the_po_when_no_mo_exists(tmp_path, monkeypatch):
    shutil.copytree(i18n.LOCALE_DIR, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    i18n.translations.cache_clear()
    try:
        assert i18n.translate("es", "Log in") == "Iniciar sesión"
    finally:
        i18n.translations.cache_clear()


def test_accept_language_negotiation():
    assert i18n.negotiate("es-MX,es;q=0.9,en;q=0.8") == "es"
    assert i18n.negotiate("fr-FR,en;q=0.5,es;q=0.7") == "es"
    assert i18n.negotiate("de") == "en"
    assert i18n.negotiate("es;q=bogus, en") == "en"
    assert i18n.negotiate(None) == "en"
