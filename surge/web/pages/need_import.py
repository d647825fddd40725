"""Importing needs from a center's I&R system export on a page: the file, its column mapping, and the report.

The upload is synchronous: the page answers when the import is done, with the report (read, stored,
duplicates, rejected rows and why). The command line (`surge needs import`) prints progress as it goes.
"""

from __future__ import annotations

import json
import re

from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from surge.access.permissions import IMPORT_NEEDS
from surge.access.principal import Principal
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_, translate
from surge.kernel.validation import validate
from surge.needs import imports, reports
from surge.needs.categories import CATEGORY_LABELS, UNMET_REASON_LABELS
from surge.needs.mapping import Columns, ImportMapping
from surge.web.infra.auth import require
from surge.web.infra.templating import language_of, render
from surge.web.infra.transaction import in_transaction
from surge.web.pages.forms import read_form
from surge.web.pages.need_log import center_choices, incident_slug

MAX_MAPPING_TEXT = 64_000
COLUMN_FIELDS = tuple(Columns.model_fields)
TEXT_FIELDS = (*(f"column_{name}" for name in COLUMN_FIELDS), "date_format", "category_words", "reason_words",
               "mapping_json", "center")
NO_FILE = N_("Choose the CSV file to import.")
# The one page whose body may exceed SURGE_MAX_BODY_BYTES: up to SURGE_NEEDS_IMPORT_MAX_BYTES.
UPLOAD_PATH = re.compile(r"/ops/incidents/[a-z0-9][a-z0-9-]{0,62}/need-reports/import")


def _page_data(session: Session, *, slug: str, actor: Principal) -> dict:
    incident = reports.open_incident(session, slug)
    return {"incident": incident, "centers": center_choices(session, actor)}


def _show(request: Request, data: dict, *, values=None, message=None, report=None, status: int = 200) -> Response:
    language = language_of(request)
    rejections = []
    if report is not None:
        rejections = [(rejection.line, translate(language, rejection.message, **rejection.params))
                      for rejection in report.rejections]
    return render(request, "needs/import.html", {
        **data, "values": values or {}, "message": message, "report": report, "rejections": rejections,
        "column_fields": COLUMN_FIELDS, "category_codes": list(CATEGORY_LABELS), "reason_codes": list(UNMET_REASON_LABELS),
        "max_bytes": request.app.state.settings.needs_import_max_bytes}, status=status)


def _words(text: str) -> dict[str, str]:
    """"their word = our code" lines as a mapping; a line without "=" is a mistake the model reports."""
    found = {}
    for line in text.splitlines():
        if line.strip():
            word, _sep, code = line.partition("=")
            found[word.strip()] = code.strip()
    return found


def mapping_of(values: dict[str, str]) -> ImportMapping:
    """The mapping from its JSON, or from the form's fields when no JSON is given."""
    if values["mapping_json"]:
        try:
            raw = json.loads(values["mapping_json"])
        except ValueError:
            raise ValidationFailed(N_("The mapping is not valid JSON."),
                                   fields={"mapping_json": N_("The mapping is not valid JSON.")}) from None
    else:
        raw = {"columns": {name: values[f"column_{name}"] for name in COLUMN_FIELDS if values[f"column_{name}"]},
               "categories": _words(values["category_words"]), "unmet_reasons": _words(values["reason_words"])}
        if values["date_format"]:
            raw["date_format"] = values["date_format"]
    return validate(ImportMapping, raw)


def _values(form: FormData) -> dict[str, str]:
    return {name: str(form.get(name, ""))[:MAX_MAPPING_TEXT].strip() for name in TEXT_FIELDS}


async def import_page(request: Request) -> Response:
    user = require(request, IMPORT_NEEDS)
    data = await in_transaction(request, _page_data, slug=incident_slug(request), actor=user)
    return _show(request, data)


async def import_submit(request: Request) -> Response:
    form = await read_form(request)
    user = require(request, IMPORT_NEEDS)
    slug = incident_slug(request)
    data = await in_transaction(request, _page_data, slug=slug, actor=user)
    values = _values(form)
    upload = form.get("file")
    language = language_of(request)
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ValidationFailed(NO_FILE, fields={"file": NO_FILE})
        mapping = mapping_of(values)
        report = await in_transaction(
            request, imports.import_csv, incident_slug=slug, center_slug=values["center"] or None, mapping=mapping,
            stream=upload.file, actor=user, now=request.app.state.clock(),
            max_bytes=request.app.state.settings.needs_import_max_bytes)
    except ValidationFailed as exc:
        details = [translate(language, text) for text in dict.fromkeys(exc.fields.values())]
        message = " ".join([translate(language, exc.message, **exc.params), *details])
        return _show(request, data, values=values, message=message, status=422)
    return _show(request, data, values=values, report=report)


routes = [
    Route("/ops/incidents/{slug}/need-reports/import", import_page, methods=["GET"], name="need_import"),
    Route("/ops/incidents/{slug}/need-reports/import", import_submit, methods=["POST"], name="need_import_submit"),
]
