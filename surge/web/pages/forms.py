"""Reading HTML form posts: size-limited, CSRF-checked, with clear errors for malformed bodies."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from surge.kernel.errors import BadRequest, Unauthorized, UnsupportedMediaType
from surge.kernel.i18n import N_
from surge.web.infra.csrf import check_csrf
from surge.web.infra.rate_limit import check_public_form

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


async def read_form(request: Request, *, limit_everyone: bool = False) -> FormData:
    """The parsed form, or a clear 4xx. `limit_everyone` rate-limits signed-in callers too, before CSRF."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in FORM_TYPES:
        raise UnsupportedMediaType(N_("This page expects a form submission."))
    try:
        form = await request.form(max_files=5, max_fields=200)
    except (HTTPException, MultiPartException, ValueError):
        # Starlette reports a broken multipart body as a 400 HTTPException; the decoders raise ValueError.
        raise BadRequest(N_("The form could not be read. Reload the page and try again."), code="malformed_form") from None
    if request.state.session_expired:
        # The form's token belonged to the lapsed session: ask for a log-in, not a reload.
        raise Unauthorized(N_("Your session has expired. Please log in again."), code="session_expired")
    if limit_everyone:
        check_public_form(request, everyone=True)
    check_csrf(request, form.get("csrf_token"))
    if not limit_everyone:
        check_public_form(request)
    if any("\x00" in value for _key, value in form.multi_items() if isinstance(value, str)):
        # No person types a NUL, and PostgreSQL cannot store one: refuse the form rather than fail on it later.
        raise BadRequest(N_("The form holds a character that cannot be stored. Remove it and try again."),
                         code="malformed_form")
    return form


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths are followed after log-in, never another host."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
