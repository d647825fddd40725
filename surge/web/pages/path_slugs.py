"""Slugs, record numbers and one-time link tokens read from a page's path: one that no record can have is a 404
before any query runs."""

from __future__ import annotations

from starlette.requests import Request

from surge.kernel.errors import NotFound
from surge.kernel.i18n import N_
from surge.kernel.validation import SLUG_PATTERN

NO_INCIDENT = N_("There is no incident %(slug)s.")
NO_CENTER = N_("There is no center %(slug)s.")
MAX_TOKEN = 64  # a link token is 32 characters; longer ones are refused before they are hashed


def path_slug(request: Request, name: str = "slug", *, missing: str = NO_INCIDENT) -> str:
    slug = request.path_params[name]
    if not SLUG_PATTERN.match(slug):
        raise NotFound(missing, params={"slug": slug[:63]})
    return slug


def path_token(request: Request, *, missing: str) -> str:
    token = request.path_params["token"]
    if not 10 <= len(token) <= MAX_TOKEN:
        raise NotFound(missing)
    return token


def whole_number(text: str, *, missing: str, key: str = "id", largest: int = 2**31 - 1) -> int:
    """A record number from 1 to `largest` (the column's range) written in ASCII digits; anything else is the
    record `missing` names, a 404 (int() would take "²" or "٣" and fail, or a number no column holds)."""
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= largest):
        raise NotFound(missing, params={key: text[:12]})
    return int(text)


def path_number(request: Request, name: str = "id", *, missing: str, largest: int = 2**31 - 1) -> int:
    return whole_number(request.path_params[name], missing=missing, key=name, largest=largest)
