"""Settings, read once from SURGE_* environment variables into one frozen object."""

from __future__ import annotations

import ipaddress
import math
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-insecure-secret-change-me"
Environment = Literal["development", "test", "production"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
GENERATE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 96  # a rough floor: length x log2(distinct characters)
# Starlette's TestClient calls itself "testserver"; only the test environment admits it by default.
TEST_CLIENT_HOST = "testserver"
RATE_LIMIT_SCHEMES = ("memory", "redis", "rediss", "redis+unix")


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
    # Threads a process runs blocking work in (database, rendering). More requests than this wait their turn on
    # the event loop, which costs nothing, rather than thrash the interpreter's lock and the database.
    work_threads: int = Field(default=8, ge=1, le=200)
    allowed_hosts: str = "localhost,127.0.0.1,[::1]"
    session_max_age: int = Field(default=8 * 3600, ge=60)
    session_idle_timeout: int = Field(default=30 * 60, ge=60)
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_seconds: int = Field(default=15 * 60, ge=1)
    # Failed log-ins from one address, across every account, before that address is paused.
    login_address_max_failures: int = Field(default=20, ge=1)
    public_form_posts_per_minute: int = Field(default=20, ge=1)
    public_api_requests_per_minute: int = Field(default=120, ge=1)
    # Where rate-limit counts live: memory:// counts in each process alone; redis://host:port/db shares them.
    rate_limit_storage: str = "memory://"
    # Put before every rate-limit key in Redis, so installs sharing one server keep their counts apart.
    rate_limit_prefix: str = Field(default="surge", min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    # Days an Idempotency-Key (or a form's one-time token) is remembered; a replay after that runs again.
    idempotency_retention_days: int = Field(default=7, ge=1)
    # Concurrent password hashes per process: each argon2 hash holds 64 MiB while it runs.
    password_hashing_slots: int = Field(default=4, ge=1)
    login_audit_retention_days: int = Field(default=90, ge=1)
    # Comma-separated addresses or networks whose X-Forwarded-For is believed; empty: none is.
    trusted_proxies: str = ""
    # Tests choose argon2's cheapest parameters; production refuses them.
    fast_password_hashing: bool = False
    # Geometry work runs in worker processes: how many at once, how many more may wait, and
    # the seconds after which a job is stopped (the cost checks keep real jobs near 1 s).
    geometry_workers: int = Field(default=1, ge=1, le=16)
    geometry_queue: int = Field(default=4, ge=0)
    geometry_time_limit: float = Field(default=5.0, gt=0)
    # Seconds a resolved API token is trusted by a process before it is looked up again (0: every request).
    token_cache_seconds: float = Field(default=10, ge=0, le=300)
    # Routing: a center status older than this is stale, and how a stale status counts.
    status_stale_s: int = Field(default=300, ge=10)
    stale_status: Literal["unknown", "normal"] = "unknown"
    route_decision_retention_days: int = Field(default=90, ge=1)
    # An accepted referral not fulfilled within this many days is released (expired).
    referral_release_days: int = Field(default=14, ge=1, le=365)
    # A person whose referral is still sent or accepted this many days on is asked how it went.
    follow_up_days: int = Field(default=3, ge=1, le=90)
    # Where people reach this server, for links in e-mails (follow-ups): scheme, host and any port.
    public_url: str = Field(default="http://localhost:8000", max_length=200, pattern=r"^https?://[^\s/?#]+$")
    # A center (slug) that takes any call when the network cannot; empty: none.
    national_fallback: str = Field(default="", max_length=63)
    # Call metrics: abandons shorter than this are "short" and left out of the abandon rate; answers
    # within this many seconds meet the service level.
    short_abandon_s: int = Field(default=5, ge=0, le=3600)
    service_level_s: int = Field(default=60, ge=1, le=3600)
    # The largest I&R export a needs import takes, by the page or the command line (the page's body may be this big).
    needs_import_max_bytes: int = Field(default=20_000_000, ge=1000, le=1_000_000_000)
    # Situation briefs: the most periods of one schedule a single production run (or catch-up) makes.
    brief_catch_up_limit: int = Field(default=1000, ge=1, le=100_000)
    log_level: LogLevel = "INFO"
    log_json: bool = True
    # E-mail by SMTP; an empty host turns e-mail delivery off (messages wait, untried, until it is set).
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = Field(default="", max_length=320)
    smtp_security: Literal["none", "starttls", "tls"] = "starttls"
    smtp_timeout_s: float = Field(default=10, gt=0, le=300)
    # The outbox worker: attempts before a message is dead, the backoff between them, how many
    # messages one run takes, and how often it runs.
    # 16 with the default backoff: about 4.5 hours on average, and a one-hour outage kills practically none.
    outbox_max_attempts: int = Field(default=16, ge=1, le=100)
    outbox_backoff_base_s: float = Field(default=30, gt=0)
    outbox_backoff_cap_s: float = Field(default=3600, gt=0)
    outbox_batch_size: int = Field(default=50, ge=1, le=1000)
    outbox_poll_s: float = Field(default=5, ge=0.1, le=3600)
    webhook_timeout_s: float = Field(default=10, gt=0, le=300)
    # `surge serve` runs the worker and scheduler in its own (parent) process; production runs `surge worker`.
    embedded_worker: bool = True

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(","))):
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(f"SURGE_TRUSTED_PROXIES: {part!r} is not an IP address or network") from None
        return value

    @field_validator("rate_limit_storage")
    @classmethod
    def _rate_limit_storage(cls, value: str) -> str:
        scheme = value.partition("://")[0].lower()
        if "://" not in value or scheme not in RATE_LIMIT_SCHEMES:
            raise ValueError(f"SURGE_RATE_LIMIT_STORAGE: {value!r} is neither memory:// nor a Redis URL "
                             "(redis://host:6379/0, rediss://..., redis+unix:///path)")
        return value

    @property
    def proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        parts = (part.strip() for part in self.trusted_proxies.split(","))
        return tuple(ipaddress.ip_network(part, strict=False) for part in parts if part)

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def trusted_hosts(self) -> list[str]:
        hosts = [host.strip() for host in self.allowed_hosts.split(",") if host.strip()]
        return hosts + [TEST_CLIENT_HOST] if self.env == "test" else hosts

    @property
    def uses_development_secret(self) -> bool:
        return self.secret == DEFAULT_SECRET or weak_secret_reason(self.secret) is not None

    @property
    def secret(self) -> str:
        return self.secret_key.get_secret_value()

    def with_(self, **changes) -> "Settings":
        """A validated copy with some values changed (the environment is not read again)."""
        return type(self).model_validate({**self.model_dump(), **changes})

    @field_validator("database_url")
    @classmethod
    def _usable_url(cls, value: str) -> str:
        # A garbage URL is named here, in one line, rather than as a traceback from the first connection.
        from sqlalchemy import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        try:
            make_url(value).get_dialect()
        except (ArgumentError, NoSuchModuleError, ValueError) as exc:
            raise ValueError(f"not a usable database URL ({exc}); e.g. sqlite:///./surge.db or "
                             "postgresql+psycopg://user@host/db") from None
        return value

    @field_validator("allowed_hosts")
    @classmethod
    def _host_patterns(cls, value: str) -> str:
        for host in (part.strip() for part in value.split(",")):
            if "*" in host[1:] or (host.startswith("*") and host != "*" and not host.startswith("*.")):
                raise ValueError(f"{host!r}: a wildcard may only begin a name, as in *.example.org")
        return value

    @model_validator(mode="after")
    def _smtp_is_whole(self) -> "Settings":
        if self.smtp_host and "@" not in self.smtp_from:
            raise ValueError("SURGE_SMTP_FROM: give the sender's address (name@example.org) when SURGE_SMTP_HOST is set")
        if self.outbox_backoff_cap_s < self.outbox_backoff_base_s:
            raise ValueError("SURGE_OUTBOX_BACKOFF_CAP_S: must not be below SURGE_OUTBOX_BACKOFF_BASE_S")
        return self

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host)

    @model_validator(mode="after")
    def _production_is_safe(self) -> "Settings":
        if self.is_production:
            reason = "it is the development default" if self.secret == DEFAULT_SECRET else weak_secret_reason(self.secret)
            if reason:
                raise ValueError(f"SURGE_SECRET_KEY is too weak for production: {reason}. "
                                 f"Generate one with: {GENERATE_SECRET}")
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


def weak_secret_reason(secret: str) -> str | None:
    """Why a secret is too guessable to sign production sessions, or None when it will do."""
    if len(secret) < MIN_SECRET_LENGTH:
        return f"it is shorter than {MIN_SECRET_LENGTH} characters"
    if secret != secret.strip() or not secret.strip():
        return "it starts or ends with whitespace"
    # A short unit repeated (32 x "a", "abcabc...") has no more entropy than the unit itself.
    for period in range(1, len(secret) // 2 + 1):
        if all(secret[i] == secret[i % period] for i in range(len(secret))):
            return "it repeats a short pattern"
    distinct = len(set(secret))
    if distinct < 10 or len(secret) * math.log2(distinct) < MIN_SECRET_BITS:
        return "it uses too few distinct characters"
    return None


def describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        name = f"SURGE_{error['loc'][0]}".upper() if error["loc"] else ""
        reason = error["msg"].removeprefix("Value error, ")
        problems.append(f"{name}: {reason}" if name and not reason.startswith(name) else reason)
    return "; ".join(problems)
