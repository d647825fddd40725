"""Who reads a response: a program (JSON errors, never a log-in redirect) or a person (pages)."""

from __future__ import annotations

from starlette.requests import Request

MACHINE_PATHS = ("/api/", "/metrics")


def is_machine_path(path: str) -> bool:
    return path.startswith(MACHINE_PATHS)


def wants_json(request: Request) -> bool:
    if is_machine_path(request.url.path):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
