"""The log-in and log-out pages."""

from __future__ import annotations

import math
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from surge.accounts import throttle
from surge.accounts.login import begin_attempt, log_in, log_out, refused_at_the_door
from surge.kernel.errors import Forbidden, TooManyRequests
from surge.kernel.i18n import N_, translate, translations
from surge.web.infra.auth import SESSION_COOKIE, require
from surge.web.infra.client_address import client_of
from surge.web.infra.hashing_gate import RETRY_AFTER_SECONDS, HashingFull
from surge.web.infra.templating import language_of, render
from surge.web.infra.transaction import in_transaction
from surge.web.pages.forms import read_form, safe_next

CONTACT = N_("If you need to log in sooner, ask your center's supervisor or the network administrator to "
             "unlock your account.")


def _policy(settings) -> throttle.Policy:
    return throttle.Policy(max_failures=settings.login_max_failures,
                           lockout=timedelta(seconds=settings.login_lockout_seconds),
                           address_max_failures=settings.login_address_max_failures)


def _minutes(seconds: int) -> int:
    return max(math.ceil(seconds / 60), 1)


def _signed_in(request: Request) -> bool:
    return request.state.user is not None and request.state.user.is_person


def _form(request: Request, *, email: str = "", next_url: str = "/", messages: tuple[str, ...] = (),
          fields: dict[str, str] | None = None, status: int = 200, retry_after: int | None = None) -> Response:
    context = {
        "email": email,
        "next_url": next_url,
        "messages": messages,
        "fields": fields or {},
        "expired": request.query_params.get("expired") == "1" or request.state.session_expired,
    }
    response = render(request, "public/login.html", context, status=status)
    if retry_after is not None:
        response.headers["retry-after"] = str(retry_after)
    return response


def _refusal(language: str, verdict: throttle.Verdict) -> tuple[str, ...]:
    """Why a try was not even checked, with the wait, and whom to ask when the wait is long."""
    catalog = translations(language)
    seconds, minutes = verdict.retry_after, _minutes(verdict.retry_after)
    if verdict.reason == "slowed":
        return (catalog.ngettext("Too many failed log-ins. Wait %(seconds)s second and try again.",
                                 "Too many failed log-ins. Wait %(seconds)s seconds and try again.",
                                 seconds) % {"seconds": seconds},)
    if verdict.reason == "address_locked":
        text = catalog.ngettext(
            "Too many failed log-ins from your connection. Log-in from it is paused for %(minutes)s minute.",
            "Too many failed log-ins from your connection. Log-in from it is paused for %(minutes)s minutes.",
            minutes)
    else:
        text = catalog.ngettext(
            "Too many failed log-ins. This account is locked from your connection for %(minutes)s minute.",
            "Too many failed log-ins. This account is locked from your connection for %(minutes)s minutes.",
            minutes)
    return text % {"minutes": minutes}, catalog.gettext(CONTACT)


def _failure(language: str, verdict: throttle.Verdict, lockout_seconds: int) -> tuple[str, ...]:
    """A wrong password, and a warning when the next one (or this one) locks the account from here."""
    catalog = translations(language)
    wrong = catalog.gettext(N_("The e-mail address or password is not right."))
    minutes = _minutes(lockout_seconds)
    if verdict.locks_on_failure:
        return wrong, *_refusal(language, throttle.Verdict(False, retry_after=lockout_seconds, reason="locked"))
    if verdict.tries_left == 1:
        warning = catalog.ngettext(
            "One more failed try locks this account from your connection for %(minutes)s minute.",
            "One more failed try locks this account from your connection for %(minutes)s minutes.", minutes)
        return wrong, warning % {"minutes": minutes}
    return (wrong,)


async def login_page(request: Request) -> Response:
    if _signed_in(request):
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return _form(request, next_url=safe_next(request.query_params.get("next")))


async def _door(request: Request, action: str) -> None:
    """Audit a post turned away before any check (its own short transaction)."""
    await in_transaction(request, refused_at_the_door, action=action, address=client_of(request),
                         now=request.app.state.clock())


async def login_submit(request: Request) -> Response:
    language = language_of(request)
    try:
        form = await read_form(request, limit_everyone=True)  # signed in or not, log-in posts are limited
    except TooManyRequests as exc:
        await _door(request, "auth.login_rate_limited")
        return _form(request, messages=(exc.message % exc.params,), status=429, retry_after=exc.params["seconds"])
    except Forbidden as exc:
        if exc.code == "csrf_failed" and _signed_in(request):
            # A stale log-in form from another tab: this browser is already signed in.
            return RedirectResponse("/", status_code=303)
        raise
    email = str(form.get("email", ""))[:320]
    password = str(form.get("password", ""))[:1024]
    next_url = safe_next(str(form.get("next", "/")))
    fields = {name: translate(language, text) for name, text in (
        ("email", N_("Enter your e-mail address.") if not email.strip() else None),
        ("password", N_("Enter your password.") if not password else None)) if text}
    if fields:  # nothing to check, so nothing counted
        return _form(request, email=email, next_url=next_url, fields=fields, status=422,
                     messages=(translate(language, N_("Some of the information given is not valid.")),))
    settings, clock, address = request.app.state.settings, request.app.state.clock, client_of(request)
    policy = _policy(settings)
    try:
        with request.app.state.hashing_gate.slot():
            verdict = await in_transaction(request, begin_attempt, email=email, address=address, clock=clock,
                                           policy=policy)
            if not verdict.allowed:
                return _form(request, email=email, next_url=next_url, messages=_refusal(language, verdict),
                             status=429, retry_after=verdict.retry_after)
            outcome = await in_transaction(request, log_in, email=email, password=password, address=address,
                                           verdict=verdict, clock=clock, policy=policy,
                                           max_age=settings.session_max_age, previous_key=request.state.session_key)
    except HashingFull:
        await _door(request, "auth.login_busy")
        busy = translations(language).ngettext(
            "Many people are logging in right now. Wait %(seconds)s second and try again.",
            "Many people are logging in right now. Wait %(seconds)s seconds and try again.", RETRY_AFTER_SECONDS)
        return _form(request, email=email, next_url=next_url, status=503, retry_after=RETRY_AFTER_SECONDS,
                     messages=(busy % {"seconds": RETRY_AFTER_SECONDS},))
    if outcome.principal is None:
        return _form(request, email=email, next_url=next_url, status=401,
                     messages=_failure(language, outcome.verdict, settings.login_lockout_seconds))
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
