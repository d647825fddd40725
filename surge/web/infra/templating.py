"""Jinja2 rendering with the reader's language and the request's CSRF token."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import HTMLResponse

from surge.kernel.i18n import translations


def language_of(request: Request) -> str:
    return getattr(request.state, "language", "en")


def _same_page_in(request: Request, code: str) -> str:
    """This page's own path and query, in another language (keeps ?next= and the like).

    Built from the path alone, re-encoded and with one leading slash: a 404 for `//other.example/`
    or `/%5Cother.example` must not turn into a link that a browser reads as another site.
    """
    path = "/" + quote(request.scope.get("path", "/").lstrip("/\\"), safe="/-._~!$&'()*+,;=:@")
    query = request.url.include_query_params(lang=code).query
    return f"{path}?{query}"


def render(request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200) -> HTMLResponse:
    env: Environment = request.app.state.templates
    language = language_of(request)
    catalog = translations(language)
    values = {
        "request": request,
        "lang": language,
        "gettext": catalog.gettext,
        "ngettext": catalog.ngettext,
        "_": catalog.gettext,
        "user": getattr(request.state, "user", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "csp_nonce": getattr(request.state, "csp_nonce", ""),
        "lang_url": lambda code: _same_page_in(request, code),
    }
    values.update(context or {})
    html = env.get_template(template).render(values)
    return HTMLResponse(html, status_code=status)
