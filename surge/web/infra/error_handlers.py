"""One place that turns errors into responses: JSON for the API, a page for people."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from surge.kernel.errors import ApiError, envelope
from surge.kernel.i18n import N_, translate
from surge.web.infra.audience import wants_json
from surge.web.infra.templating import language_of, render

log = logging.getLogger("surge.errors")

STATUS_MESSAGES = {
    400: N_("The request could not be understood."),
    401: N_("Please log in to continue."),
    403: N_("You do not have permission to do that."),
    404: N_("The page or record you asked for does not exist."),
    405: N_("That method is not allowed here."),
    413: N_("The request body is too large."),
    415: N_("That content type is not supported here."),
    422: N_("Some of the information given is not valid."),
    429: N_("Too many requests. Please wait a moment and try again."),
    500: N_("Something went wrong on our side. The error has been logged."),
    503: N_("The service is briefly unavailable. Please try again in a moment."),
}
# How long a client is asked to wait when the database does not answer.
RETRY_AFTER_SECONDS = 10
# What a lost or refused database connection raises: the service is down for now, not broken.
DATABASE_DOWN = (OperationalError, InterfaceError)


def error_response(
    request: Request, *, status: int, code: str, message: str, fields: dict[str, str], headers: dict | None = None
) -> Response:
    headers = dict(headers or {})
    if status == 401 and wants_json(request):
        headers["WWW-Authenticate"] = "Bearer"
    if wants_json(request):
        return JSONResponse(envelope(code, message, fields), status_code=status, headers=headers)
    response = render(
        request,
        "errors/error.html",
        {"status": status, "message": message, "fields": fields},
        status=status,
    )
    response.headers.update(headers)
    return response


async def handle_api_error(request: Request, exc: ApiError) -> Response:
    if exc.status == 401 and not wants_json(request):
        # People are sent to the log-in page and brought back afterwards.
        # Only a page that was being read can be returned to; a form post starts again from home.
        back = request.url.path if request.method == "GET" else "/"
        query = urlencode({"next": back, **({"expired": "1"} if exc.code == "session_expired" else {})})
        return RedirectResponse(f"/login?{query}", status_code=303)
    language = language_of(request)
    message = translate(language, exc.message, **exc.params)
    fields = {name: translate(language, text) for name, text in exc.fields.items()}
    retry = exc.status in (429, 503) and "seconds" in exc.params
    headers = {"Retry-After": str(exc.params["seconds"])} if retry else None
    return error_response(request, status=exc.status, code=exc.code, message=message, fields=fields, headers=headers)


async def handle_http_exception(request: Request, exc: HTTPException) -> Response:
    message = STATUS_MESSAGES.get(exc.status_code, STATUS_MESSAGES[400])
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return error_response(
        request, status=exc.status_code, code=code, message=translate(language_of(request), message), fields={},
        headers=exc.headers,  # e.g. Allow on a 405
    )


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(
        request, status=500, code="internal", message=translate(language_of(request), STATUS_MESSAGES[500]), fields={}
    )


def unavailable(request: Request) -> Response:
    """503 with Retry-After: JSON for programs, a page for people."""
    return error_response(
        request, status=503, code="unavailable", message=translate(language_of(request), STATUS_MESSAGES[503]),
        fields={}, headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def handle_database_down(request: Request, exc: Exception) -> Response:
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc.__class__.__name__)
    return unavailable(request)


def exception_handlers() -> dict:
    handlers = {ApiError: handle_api_error, HTTPException: handle_http_exception, Exception: handle_unexpected}
    handlers.update({error: handle_database_down for error in DATABASE_DOWN})
    return handlers
