"""The live wallboard page: rendered whole on the server, then kept fresh by /static/wallboard.js."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from surge.centers.permissions import READ_NETWORK
from surge.web.api.wallboard import board_for
from surge.web.infra.auth import require
from surge.kernel.i18n import N_, translations
from surge.web.infra.templating import language_of, render
from surge.web.pages import center_words

POLL_SECONDS = 10
FASTEST_POLL_SECONDS = 2  # ?every=N asks for another period (a wall screen, a test), never faster than this

# Phrases the script needs, translated here: it never builds words of its own.
SCRIPT_PHRASES = {
    "open": N_("Open centers: %(n)s."),
    "closed": N_("Closed centers: %(n)s."),
    "overflowing": N_("Centers with overflow firing: %(n)s."),
    "stale": N_("Centers with a stale or missing status: %(n)s."),
    "now_firing": N_("%(name)s: overflow now firing."),
    "stopped_firing": N_("%(name)s: overflow no longer firing."),
    "none_firing": N_("none firing"),
    "updated": N_("Updated at %(time)s."),
    "failed": N_("Could not update. Trying again shortly."),
    "signed_out": N_("Your session has expired. Reload the page to log in again."),
    "changed": N_("The network has changed. Reload the page to see every center."),
}


def _period(request: Request) -> int:
    asked = request.query_params.get("every", "")
    if asked.isascii() and asked.isdigit():
        return min(max(int(asked), FASTEST_POLL_SECONDS), 300)
    return POLL_SECONDS


def _phrases(language: str, period: int) -> dict:
    gettext = translations(language).gettext
    return {
        "phrases": {key: gettext(text) for key, text in SCRIPT_PHRASES.items()},
        "triggers": {key: gettext(text) for key, text in center_words.TRIGGER_WORDS.items()},
        "open": {key: gettext(text) for key, text in center_words.OPEN_WORDS.items()},
        "status": {key: gettext(text) for key, text in center_words.STATUS_WORDS.items()},
        "inactive": {key: gettext(text) for key, text in center_words.INACTIVE_WORDS.items()},
        "units": {key: gettext(text) for key, text in (("s", N_("%(n)s s")), ("min", N_("%(n)s min")),
                                                       ("h", N_("%(h)s h %(m)s min")))},
        "poll_seconds": period,
    }


async def wallboard_page(request: Request) -> Response:
    user = require(request, READ_NETWORK)
    board = await board_for(request, user)
    language = language_of(request)
    return render(request, "centers/wallboard.html", {
        "board": board, "script_data": _phrases(language, _period(request)),
        **center_words.template_helpers(translations(language).gettext)})


routes = [Route("/wallboard", wallboard_page, methods=["GET"], name="wallboard")]
