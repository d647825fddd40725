"""Who is acting: a Principal for every caller (person, API token or the system itself), and how audit names it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from surge.access.roles import Role

Kind = Literal["user", "token", "system"]


@dataclass(frozen=True)
class Principal:
    kind: Kind
    id: int
    name: str
    role: str
    center_slug: str | None = None
    clearinghouse_slug: str | None = None
    email: str | None = None

    @property
    def actor(self) -> str:
        """How the audit log names this principal."""
        if self.kind == "system":
            return f"system:{self.name}"
        return f"{self.kind}:{self.id}:{self.email or self.name}"

    @property
    def is_person(self) -> bool:
        return self.kind == "user"


def system(name: str) -> Principal:
    """Surge acting on its own behalf (the CLI run by an operator, the demo loader, scheduled jobs)."""
    return Principal("system", 0, name, Role.ADMIN.value)


ANONYMOUS_ACTOR = "anonymous"
