"""Settings, read once from SURGE_* environment variables into one frozen object."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

DEFAULT_SECRET = "dev-insecure-secret-change-me"
ENVIRONMENTS = ("development", "test", "production")
REPO_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A setting is missing or unusable; the message names it."""


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///./surge.db"
    secret_key: str = DEFAULT_SECRET
    env: str = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = "http://127.0.0.1:8000"
    max_body_bytes: int = 1_000_000
    session_max_age: int = 8 * 3600
    login_max_failures: int = 5
    login_lockout_seconds: int = 15 * 60
    public_form_posts_per_minute: int = 20
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "surge@localhost"
    online_geocoder: bool = False
    geocoder_user_agent: str = "surge-211"
    log_level: str = "INFO"
    log_json: bool = True
    templates_dir: Path = field(default=REPO_ROOT / "templates")
    static_dir: Path = field(default=REPO_ROOT / "surge" / "static")

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    def check(self) -> "Settings":
        if self.env not in ENVIRONMENTS:
            raise SettingsError(f"SURGE_ENV must be one of {', '.join(ENVIRONMENTS)}, not {self.env!r}")
        if self.is_production and (self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32):
            raise SettingsError("SURGE_SECRET_KEY must be set to a random value of 32+ characters in production")
        return self

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        defaults = cls()

        def get(name: str, default):
            raw = env.get(f"SURGE_{name.upper()}")
            if raw is None or raw == "":
                return default
            if isinstance(default, bool):
                return _bool(raw)
            if isinstance(default, int):
                try:
                    return int(raw)
                except ValueError as exc:
                    raise SettingsError(f"SURGE_{name.upper()} must be a whole number, not {raw!r}") from exc
            if isinstance(default, Path):
                return Path(raw)
            return raw

        values = {name: get(name, getattr(defaults, name)) for name in cls.__dataclass_fields__}
        if "SURGE_BASE_URL" not in env:
            values["base_url"] = f"http://{values['host']}:{values['port']}"
        return cls(**values).check()
