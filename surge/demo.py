"""The demo network: loaded by `surge demo`, safe to run again and again."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Engine


@dataclass
class DemoReport:
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, email, password)
    api_token: str | None = None


def load_demo(engine: Engine) -> DemoReport:
    return DemoReport()
