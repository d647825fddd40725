"""Settings, read once from SURGE_* environment variables into one frozen object."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-insecure-secret-change-me"
Environment = Literal["development", "test", "production"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class SettingsError(ValueError):
    """A setting is missing or unusable; the message names it."""


class Settings(BaseSettings):
    """Every field is documented in the README's settings table (a test keeps the two in step)."""

    model_config = SettingsConfigDict(env_prefix="SURGE_", frozen=True, extra="ignore", env_ignore_empty=True)

    database_url: str = "sqlite:///./surge.db"
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET)
    env: Environment = "development"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    max_body_bytes: int = Field(default=1_000_000, ge=1)
    session_max_age: int = Field(default=8 * 3600, ge=60)
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_seconds: int = Field(default=15 * 60, ge=1)
    public_form_posts_per_minute: int = Field(default=20, ge=1)
    # Tests choose argon2's cheapest parameters; production refuses them.
    fast_password_hashing: bool = False
    # Geometry work runs in worker processes: how many at once, how many more may wait, and
    # the seconds after which a job is stopped (the cost checks keep real jobs near 1 s).
    geometry_workers: int = Field(default=1, ge=1, le=16)
    geometry_queue: int = Field(default=4, ge=0)
    geometry_time_limit: float = Field(default=5.0, gt=0)
    log_level: LogLevel = "INFO"
    log_json: bool = True

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def secret(self) -> str:
        return self.secret_key.get_secret_value()

    def with_(self, **changes) -> "Settings":
        """A validated copy with some values changed (the environment is not read again)."""
        return type(self).model_validate({**self.model_dump(), **changes})

    @model_validator(mode="after")
    def _production_is_safe(self) -> "Settings":
        if self.is_production:
            if self.secret == DEFAULT_SECRET or len(self.secret) < 32:
                raise ValueError("SURGE_SECRET_KEY must be set to a random value of 32+ characters in production")
            if self.fast_password_hashing:
                raise ValueError("SURGE_FAST_PASSWORD_HASHING is for tests, never for production")
        return self

    @classmethod
    def from_env(cls) -> "Settings":
        """The settings of this process, or a SettingsError naming each variable at fault."""
        try:
            return cls()
        except ValidationError as exc:
            raise SettingsError(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        name = f"SURGE_{error['loc'][0]}".upper() if error["loc"] else ""
        reason = error["msg"].removeprefix("Value error, ")
        problems.append(f"{name}: {reason}" if name and not reason.startswith(name) else reason)
    return "; ".join(problems)
