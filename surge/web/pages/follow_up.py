"""The one-time follow-up page a volunteer or donor reaches from the e-mail: was I contacted, how was it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from surge.intake import follow_ups
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_, translate
from surge.kernel.validation import validate
from surge.web.infra.templating import language_of, render
from surge.web.infra.transaction import in_transaction
from surge.web.pages.forms import read_form
from surge.web.pages.path_slugs import path_token

def _token(request: Request) -> str:
    return path_token(request, missing=N_("This link is not known. It may have been mistyped."))


async def follow_up_page(request: Request) -> Response:
    found = await in_transaction(request, follow_ups.find, token=_token(request))
    return render(request, "intake/follow_up.html", {"answered": found.answered_at is not None, "fields": {},
                                                     "message": None, "values": {}})


async def follow_up_submit(request: Request) -> Response:
    form = await read_form(request)
    token = _token(request)
    contacted = {"yes": True, "no": False}.get(str(form.get("contacted", "")))
    values = {"contacted": str(form.get("contacted", ""))[:3], "satisfaction": str(form.get("satisfaction", ""))[:1],
              "comment": str(form.get("comment", "")).strip()[:1001]}
    body = {"contacted": contacted, "comment": values["comment"],
            **({"satisfaction": values["satisfaction"]} if values["satisfaction"] else {})}
    try:
        data = validate(follow_ups.AnswerIn, body)
    except ValidationFailed as exc:
        language = language_of(request)
        fields = {name.split(".")[0]: translate(language, text) for name, text in exc.fields.items()}
        return render(request, "intake/follow_up.html", {"answered": False, "fields": fields, "values": values,
                                                         "message": translate(language, exc.message)}, status=422)
    first = await in_transaction(request, follow_ups.answer, token=token, data=data, now=request.app.state.clock())
    return render(request, "intake/follow_up.html", {"answered": True, "thanked": first, "fields": {}, "values": {},
                                                     "message": None})


routes = [
    Route("/follow-up/{token}", follow_up_page, methods=["GET"], name="follow_up"),
    Route("/follow-up/{token}", follow_up_submit, methods=["POST"], name="follow_up_submit"),
]
