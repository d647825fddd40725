"""The log-in and log-out pages."""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from surge.accounts import throttle
from surge.accounts.login import log_in, log_out
from surge.kernel.errors import ApiError
from surge.kernel.i18n import translate
from surge.web.infra.auth import SESSION_COOKIE, require
from surge.web.infra.transaction import in_transaction
from surge.web.pages.forms import read_form, safe_next
from surge.web.infra.templating import language_of, render


def _policy(settings) -> throttle.Policy:
    return throttle.Policy(max_failures=settings.login_max_failures, lockout=timedelta(seconds=settings.login_lockout_seconds))


def _form(request: Request, *, email: str = "", next_url: str = "/", error: ApiError | None = None) -> Response:
    message = translate(language_of(request), error.message, **error.params) if error else None
    context = {
        "email": email,
        "next_url": next_url,
        "error": message,
        "expired": request.query_params.get("expired") == "1" or request.state.session_expired,
    }
    return render(request, "public/login.html", context, status=error.status if error else 200)


async def login_page(request: Request) -> Response:
    if request.state.user is not None and request.state.user.is_person:
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return _form(request, next_url=safe_next(request.query_params.get("next")))


async def login_submit(request: Request) -> Response:
    form = await read_form(request)
    email = str(form.get("email", ""))[:320]
    password = str(form.get("password", ""))[:1024]
    next_url = safe_next(str(form.get("next", "/")))
    settings = request.app.state.settings
    outcome = await in_transaction(request, log_in, email=email, password=password, clock=request.app.state.clock,
                                   policy=_policy(settings), max_age=settings.session_max_age,
                                   previous_key=request.state.session_key)
    if outcome.error is not None:
        response = _form(request, email=email, next_url=next_url, error=outcome.error)
        if "seconds" in outcome.error.params:
            response.headers["retry-after"] = str(outcome.error.params["seconds"])
        return response
    response = RedirectResponse(next_url, status_code=303)
    response.set_cookie(SESSION_COOKIE, outcome.key, max_age=settings.session_max_age, httponly=True,
                        samesite="lax", secure=settings.is_production, path="/")
    return response


async def logout(request: Request) -> Response:
    await read_form(request)
    principal = require(request)
    key = request.state.session_key
    if key:
        await in_transaction(request, log_out, key=key, actor=principal)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


routes = [
    Route("/login", login_page, methods=["GET"], name="login"),
    Route("/login", login_submit, methods=["POST"], name="login_submit"),
    Route("/logout", logout, methods=["POST"], name="logout"),
]
