"""Input validation: pydantic models in, field-level messages a person can read and translate out."""

from __future__ import annotations

import re
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, Field, TypeAdapter, ValidationError

from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_

Model = TypeVar("Model", bound=BaseModel)

GENERIC_MESSAGES = {
    "missing": N_("This field is required."),
    "string_too_short": N_("This is too short."),
    "string_too_long": N_("This is too long."),
    "string_type": N_("This must be text."),
    "string_pattern_mismatch": N_("This is not in the expected format."),
    "int_parsing": N_("This must be a whole number."),
    "int_type": N_("This must be a whole number."),
    "int_from_float": N_("This must be a whole number."),
    "float_parsing": N_("This must be a number."),
    "float_type": N_("This must be a number."),
    "finite_number": N_("This must be a number."),
    "bool_parsing": N_("This must be true or false."),
    "literal_error": N_("This is not one of the allowed values."),
    "enum": N_("This is not one of the allowed values."),
    "extra_forbidden": N_("This field is not expected here."),
    "less_than_equal": N_("This number is too large."),
    "less_than": N_("This number is too large."),
    "greater_than_equal": N_("This number is too small."),
    "greater_than": N_("This number is too small."),
    "too_short": N_("This needs more items."),
    "too_long": N_("This has too many items."),
    "model_type": N_("This must be a JSON object."),
    "dict_type": N_("This must be a JSON object."),
    "list_type": N_("This must be a list."),
    "tuple_type": N_("This must be a list."),
    "union_tag_invalid": N_("This type is not one of the allowed types."),
    "union_tag_not_found": N_("This object needs a type."),
}
FALLBACK = N_("This value is not valid.")

# Numbers from query strings and JSON: finite, ASCII digits only (pydantic refuses others, "²" included).
Number = Annotated[float, Field(allow_inf_nan=False)]

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
FIPS_PATTERN = re.compile(r"^\d{5}$")  # a county
ZIP_PATTERN = re.compile(r"^\d{5}$")
# BCP 47 as callers use it: a primary language subtag, then optional script/region/variant subtags.
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8}){0,3}$")


def _codes(values: list[str], pattern: re.Pattern, message: str) -> list[str]:
    """Trimmed, checked against `pattern`, without repeats, in their order."""
    cleaned = []
    for value in values:
        value = str(value).strip()
        if not pattern.match(value):
            raise ValueError(message)
        if value not in cleaned:
            cleaned.append(value)
    return cleaned


def one_of(values: list[str], allowed, message: str) -> list[str]:
    """Each value among `allowed` (else ValueError(message)), without repeats, in their order."""
    if any(value not in allowed for value in values):
        raise ValueError(message)
    return list(dict.fromkeys(values))


def clean_languages(values: list[str]) -> list[str]:
    return _codes([str(v).strip().lower() for v in values], LANGUAGE_PATTERN,
                  N_('Use language codes such as "en", "es" or "zh-hant".'))


def clean_counties(values: list[str]) -> list[str]:
    return _codes(values, FIPS_PATTERN, N_("Use five-digit county FIPS codes."))


def clean_zips(values: list[str]) -> list[str]:
    return _codes(values, ZIP_PATTERN, N_("Use five-digit ZIP codes."))


def _slug(value: str) -> str:
    value = value.strip().lower()
    if not SLUG_PATTERN.match(value):
        raise ValueError(N_("Use lower-case letters, digits and hyphens only."))
    return value


# The identifier of a center, incident or clearinghouse in URLs: lower-case letters, digits and hyphens.
Slug = Annotated[str, Field(max_length=63), AfterValidator(_slug)]
# A row's id as a path parameter: bounded to the INTEGER column, so a huge number is a 422, not a database error.
RowId = Annotated[int, Field(ge=1, le=2**31 - 1)]


def field_messages(error: ValidationError, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """`overrides` maps a top-level field to the one message that explains it best, whatever went wrong."""
    fields: dict[str, str] = {}
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or "body"
        top = str(item["loc"][0]) if item["loc"] else ""
        if overrides and top in overrides:
            message = overrides[top]
        elif item["type"] == "value_error" and "error" in item.get("ctx", {}):
            message = str(item["ctx"]["error"])  # our own validators raise ValueError(msgid)
        else:
            message = GENERIC_MESSAGES.get(item["type"], FALLBACK)
        fields.setdefault(name, message)
    return fields


def validate(model: type[Model] | TypeAdapter, data: Any) -> Any:
    """Validate input or raise a 422 naming every field at fault.

    A model may carry `FIELD_MESSAGES` (field -> msgid) for fields whose generic message would not help.
    """
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(data)
        return model.model_validate(data)
    except ValidationError as exc:
        overrides = getattr(model, "FIELD_MESSAGES", None)
        raise ValidationFailed(N_("Some of the information given is not valid."),
                               fields=field_messages(exc, overrides)) from None
