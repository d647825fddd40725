"""Jinja2 rendering with the reader's language and the request's CSRF token."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from surge.kernel.i18n import LANGUAGES, translations


def make_environment(templates_dir) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(("html", "xml", "svg")),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Callables are passed per render, so one environment serves every language safely.
    env.globals["LANGUAGES"] = LANGUAGES
    return env


def language_of(request: Request) -> str:
    return getattr(request.state, "language", "en")


def _same_page_in(request: Request, code: str) -> str:
    """This page's own path and query, in another language (keeps ?next= and the like)."""
    url = request.url.include_query_params(lang=code)
    return f"{url.path}?{url.query}"


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
