"""Reading the activation page's form into an incident: fields, and an area chosen on the map or uploaded."""

from __future__ import annotations

import json

from starlette.datastructures import FormData, UploadFile

from surge.incidents.models import IncidentIn
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_
from surge.kernel.validation import validate

TEXT_FIELDS = ("name", "slug", "type", "level", "timezone", "operational_period_hours", "period_start", "reason",
               "state", "area_document")
MAX_TEXT = 2_000
MAX_DOCUMENT = 1_000_000  # the request body is capped at this size too (SURGE_MAX_BODY_BYTES)
MAX_COUNTIES = 1000


# What the person typed and chose, kept to fill the form again after a preview or a mistake.
FormValues = dict


async def read_values(form: FormData) -> FormValues:
    values = {name: str(form.get(name, ""))[:MAX_TEXT] for name in TEXT_FIELDS if name != "area_document"}
    values["exercise"] = bool(form.get("exercise"))
    values["counties"] = [str(c)[:5] for c in form.getlist("county")[:MAX_COUNTIES]]
    values["area_document"] = await _document(form)
    return values


async def _document(form: FormData) -> str:
    """An uploaded GeoJSON file or CAP alert; after a preview it comes back as text in a hidden field."""
    upload = form.get("area_file")
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(MAX_DOCUMENT + 1)
        if len(raw) > MAX_DOCUMENT:
            raise ValidationFailed(N_("The uploaded file is too large."), fields={"area_file": N_("Too large.")})
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationFailed(N_("The uploaded file is not UTF-8 text."),
                                   fields={"area_file": N_("Save it as UTF-8 and try again.")}) from None
    return str(form.get("area_document", ""))[:MAX_DOCUMENT]


def _area(values: FormValues) -> dict:
    document = values["area_document"].strip()
    if document and values["counties"]:
        raise ValidationFailed(N_("Choose counties or upload a file, not both."),
                               fields={"area_file": N_("Choose one way to give the area.")})
    if not document:
        if not values["counties"]:
            raise ValidationFailed(N_("Choose at least one county, or upload a GeoJSON area or a CAP alert."),
                                   fields={"county": N_("No county chosen.")})
        return {"counties": values["counties"]}
    if document.startswith("<"):
        return {"cap": document}
    try:
        return {"geojson": json.loads(document)}
    except ValueError:
        raise ValidationFailed(N_("The uploaded file is neither GeoJSON nor a CAP alert."),
                               fields={"area_file": N_("Upload a .geojson file or a CAP .xml alert.")}) from None


def incident_in(values: FormValues) -> IncidentIn:
    """The incident the form describes, or a 422 naming each field at fault."""
    body = {name: values[name] for name in ("name", "slug", "type", "timezone", "period_start") if values[name]}
    body.update(exercise=values["exercise"], area=_area(values))
    for name in ("level", "operational_period_hours"):
        if values[name]:
            body[name] = values[name]
    return validate(IncidentIn, body)
