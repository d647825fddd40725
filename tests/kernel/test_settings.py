"""Settings: read once from SURGE_* variables, refused with a message naming the variable, documented."""

import re
from pathlib import Path

import pytest

from surge.kernel.settings import DEFAULT_SECRET, Settings, SettingsError

README = Path(__file__).resolve().parents[2] / "README.md"
GOOD_SECRET = "a-real-random-production-secret-0123456789"


def _documented_variables() -> set[str]:
    text = README.read_text()
    section = text[text.index("## Settings"):text.index("## Demo")]
    return set(re.findall(r"`(SURGE_[A-Z_]+)`", section))


def test_every_setting_is_documented_in_the_readme_and_nothing_else():
    fields = {f"SURGE_{name.upper()}" for name in Settings.model_fields}
    assert _documented_variables() == fields


def test_values_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SURGE_PORT", "8123")
    monkeypatch.setenv("SURGE_LOG_JSON", "false")
    monkeypatch.setenv("SURGE_HOST", "")  # empty counts as unset
    settings = Settings.from_env()
    assert (settings.port, settings.log_json, settings.host) == (8123, False, "127.0.0.1")


@pytest.mark.parametrize("name,value", [
    ("SURGE_LOG_JSON", "ture"), ("SURGE_FAST_PASSWORD_HASHING", "yes please"), ("SURGE_PORT", "80a"),
    ("SURGE_PORT", "70000"), ("SURGE_ENV", "prod"), ("SURGE_LOG_LEVEL", "LOUD"), ("SURGE_MAX_BODY_BYTES", "0"),
])
def test_unusable_values_are_refused_naming_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        Settings.from_env()


def test_the_secret_is_never_printed():
    settings = Settings(secret_key=GOOD_SECRET)
    assert GOOD_SECRET not in repr(settings) and GOOD_SECRET not in str(settings.model_dump())
    assert settings.secret == GOOD_SECRET


def test_production_refuses_the_default_secret_and_fast_hashing(monkeypatch):
    monkeypatch.setenv("SURGE_ENV", "production")
    with pytest.raises(SettingsError, match="SURGE_SECRET_KEY"):
        Settings.from_env()
    monkeypatch.setenv("SURGE_SECRET_KEY", GOOD_SECRET)
    assert Settings.from_env().is_production
    monkeypatch.setenv("SURGE_FAST_PASSWORD_HASHING", "true")
    with pytest.raises(SettingsError, match="SURGE_FAST_PASSWORD_HASHING"):
        Settings.from_env()


def test_with_validates_the_copy():
    settings = Settings(secret_key=DEFAULT_SECRET)
    assert settings.with_(port=9000).port == 9000
    with pytest.raises(ValueError):
        settings.with_(env="production")


def test_the_cli_reports_a_bad_setting_and_exits_2(monkeypatch, capsys):
    from surge.cli import main

    monkeypatch.setenv("SURGE_LOG_JSON", "maybe")
    assert main(["db", "upgrade"]) == 2
    assert "SURGE_LOG_JSON" in capsys.readouterr().err
