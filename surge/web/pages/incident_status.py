"""The public status page of an active incident: what is needed now, what is not, and where to help."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from surge.kernel.i18n import translations
from surge.web.infra.templating import language_of, render
from surge.web.infra.transaction import in_transaction
from surge.web.pages import incident_views, incident_words
from surge.web.pages.area_map import area_map
from surge.web.pages.path_slugs import path_slug


async def status_page(request: Request) -> Response:
    slug = path_slug(request)
    view = await in_transaction(request, incident_views.public_status, slug=slug)
    words = incident_words.template_helpers(translations(language_of(request)).gettext)
    area = await run_in_threadpool(area_map, view.incident.counties)
    return render(request, "incidents/status.html", {"view": view, "incident": view.incident, "area": area, **words})


routes = [Route("/incidents/{slug}", status_page, methods=["GET"], name="incident_status")]
