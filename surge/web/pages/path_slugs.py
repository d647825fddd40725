"""Slugs read from a page's path: one that no record can have is a 404 before any query runs."""

from __future__ import annotations

from starlette.requests import Request

from surge.kernel.errors import NotFound
from surge.kernel.i18n import N_
from surge.kernel.validation import SLUG_PATTERN

NO_INCIDENT = N_("There is no incident %(slug)s.")
NO_CENTER = N_("There is no center %(slug)s.")


def path_slug(request: Request, name: str = "slug", *, missing: str = NO_INCIDENT) -> str:
    slug = request.path_params[name]
    if not SLUG_PATTERN.match(slug):
        raise NotFound(missing, params={"slug": slug[:63]})
    return slug
