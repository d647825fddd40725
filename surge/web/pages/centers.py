"""Staff pages for centers: the coverage map, one center's details, and the edit form."""

from __future__ import annotations

import json

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from surge.access.principal import Principal
from surge.centers import agreements, registry
from surge.centers.models import CenterFields
from surge.centers.permissions import EDIT_CENTERS, READ_NETWORK, require_own_center
from surge.centers.views import CenterOut
from surge.kernel.errors import ApiError, NotFound, ValidationFailed
from surge.kernel.i18n import N_, translate, translations
from surge.kernel.validation import validate
from surge.web.api.wallboard import board_for
from surge.web.infra.auth import require
from surge.web.infra.templating import language_of, render
from surge.web.infra.transaction import in_transaction
from surge.web.pages import center_words
from surge.web.pages.coverage_view import coverage_map
from surge.web.pages.forms import read_form
from surge.web.pages.path_slugs import NO_CENTER, path_slug

FORM_FIELDS = ("name", "timezone", "hours", "languages", "tty", "seats", "closures")


def may_edit(user: Principal, slug: str) -> bool:
    try:
        require_own_center(user, slug, EDIT_CENTERS)
    except ApiError:
        return False
    return True


def _words(request: Request) -> dict:
    return center_words.template_helpers(translations(language_of(request)).gettext)


def _slug(request: Request) -> str:
    return path_slug(request, missing=NO_CENTER)


async def centers_page(request: Request) -> Response:
    user = require(request, READ_NETWORK)
    centers = await in_transaction(request, registry.list_centers, actor=user)
    state = request.query_params.get("state") or None
    # Drawing a new set of states takes a few hundred milliseconds of CPU: keep it off the event loop.
    coverage = await run_in_threadpool(coverage_map, centers, state=state)
    return render(request, "centers/index.html", {"coverage": coverage, "state": state, **_words(request)})


def _details(session: Session, *, slug: str, actor: Principal) -> dict:
    center = registry.get(session, slug=slug, actor=actor)
    if not center.active:
        raise NotFound(N_("There is no center %(slug)s."), params={"slug": slug})
    linked = agreements.list_agreements(session, actor=actor, center=slug)
    names = {c.slug: c.name for c in registry.list_centers(session, actor=actor, include_inactive=True)}
    return {"center": center, "names": names,
            "outgoing": [a for a in linked if a.from_ == slug], "incoming": [a for a in linked if a.to == slug]}


async def center_page(request: Request) -> Response:
    user = require(request, READ_NETWORK)
    slug = _slug(request)
    details = await in_transaction(request, _details, slug=slug, actor=user)
    board = await board_for(request, user)
    row = next((r for r in board.centers if r.slug == slug), None)
    coverage = await run_in_threadpool(coverage_map, [details["center"]])
    return render(request, "centers/detail.html", {
        **details, **_words(request), "board": row, "coverage": coverage, "may_edit": may_edit(user, slug),
        "saved": request.query_params.get("saved") == "1"})


def _form_values(center: CenterOut) -> dict[str, str]:
    return {
        "name": center.name,
        "timezone": center.timezone,
        "hours": center.hours if isinstance(center.hours, str) else json.dumps(center.hours),
        "languages": ", ".join(center.languages),
        "tty": "on" if center.tty else "",
        "seats": str(center.seats),
        # One a line, as _parse_closures reads them back.
        "closures": "\n".join(c if isinstance(c, str) else f"{c['from']} {c['to']}" for c in center.closures),
    }


def _edit_form(request: Request, center: CenterOut, values: dict[str, str], *, fields: dict[str, str] | None = None,
               message: str | None = None, status: int = 200) -> Response:
    return render(request, "centers/edit.html", {"center": center, "values": values, "fields": fields or {},
                                                 "message": message}, status=status)


async def _own_center(request: Request) -> tuple[Principal, CenterOut]:
    user = require(request, READ_NETWORK)
    slug = _slug(request)
    require_own_center(user, slug, EDIT_CENTERS)  # 403 before anything is shown or read
    center = await in_transaction(request, registry.get, slug=slug, actor=user)
    if not center.active:  # saving would bring it back: that is an admin's call through the API
        raise NotFound(N_("There is no center %(slug)s."), params={"slug": slug})
    return user, center


async def edit_page(request: Request) -> Response:
    _user, center = await _own_center(request)
    return _edit_form(request, center, _form_values(center))


def _parse_hours(text: str):
    text = text.strip()
    if text in ("", "24/7"):
        return "24/7"
    try:
        return json.loads(text)
    except ValueError:
        raise ValidationFailed(N_("Some of the information given is not valid."),
                               fields={"hours": CenterFields.FIELD_MESSAGES["hours"]}) from None


def _parse_closures(text: str) -> list:
    """One closure a line: a date, or a start and an end separated by a space."""
    closures: list = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 1:
            closures.append(parts[0])
        elif len(parts) == 2:
            closures.append({"from": parts[0], "to": parts[1]})
        elif parts:
            raise ValidationFailed(N_("Some of the information given is not valid."),
                                   fields={"closures": CenterFields.FIELD_MESSAGES["closures"]})
    return closures


def _fields_from(center: CenterOut, values: dict[str, str]) -> CenterFields:
    """The center as it is, with the form's fields changed; coverage and the rest are kept.

    Every field is checked, so one post shows every mistake, not the first one only.
    """
    errors: dict[str, str] = {}
    parsed = {}
    for name, parse, fallback in (("hours", _parse_hours, "24/7"), ("closures", _parse_closures, [])):
        try:
            parsed[name] = parse(values[name])
        except ValidationFailed as exc:
            errors.update(exc.fields)
            parsed[name] = fallback
    body = center.model_dump(include={"counties", "zips", "area", "accredited", "sip_uri"})
    body.update(name=values["name"], timezone=values["timezone"],
                languages=[code for code in values["languages"].replace(",", " ").split() if code],
                tty=bool(values["tty"]), seats=values["seats"].strip() or "0", **parsed)
    try:
        data = validate(CenterFields, body)
    except ValidationFailed as exc:
        errors = {**exc.fields, **errors}
    if errors:
        raise ValidationFailed(N_("Some of the information given is not valid."), fields=errors)
    return data


async def edit_submit(request: Request) -> Response:
    form = await read_form(request)
    user, center = await _own_center(request)
    values = {name: str(form.get(name, ""))[:20_000] for name in FORM_FIELDS}
    language = language_of(request)
    try:
        data = _fields_from(center, values)
        # The drawn area is unchanged here, so its counties are kept rather than worked out again.
        await in_transaction(request, registry.update, slug=center.slug, data=data, actor=user,
                             counties_of_area=center.area_counties if center.area else None)
    except ValidationFailed as exc:
        fields: dict[str, str] = {}
        for name, text in exc.fields.items():
            top = name.split(".")[0]
            fields.setdefault(top if top in FORM_FIELDS else "form", translate(language, text))
        return _edit_form(request, center, values, fields=fields, status=422,
                          message=translate(language, exc.message, **exc.params))
    return RedirectResponse(f"/centers/{center.slug}?saved=1", status_code=303)


routes = [
    Route("/centers", centers_page, methods=["GET"], name="centers"),
    Route("/centers/{slug}", center_page, methods=["GET"], name="center"),
    Route("/centers/{slug}/edit", edit_page, methods=["GET"], name="center_edit"),
    Route("/centers/{slug}/edit", edit_submit, methods=["POST"], name="center_edit_submit"),
]
