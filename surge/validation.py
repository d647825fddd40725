"""Turn pydantic validation failures into field-level messages a person can read and translate."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from surge.errors import ValidationFailed
from surge.i18n import N_

Model = TypeVar("Model", bound=BaseModel)

GENERIC_MESSAGES = {
    "missing": N_("This field is required."),
    "string_too_short": N_("This is too short."),
    "string_too_long": N_("This is too long."),
    "string_type": N_("This must be text."),
    "int_parsing": N_("This must be a whole number."),
    "int_type": N_("This must be a whole number."),
    "float_parsing": N_("This must be a number."),
    "float_type": N_("This must be a number."),
    "bool_parsing": N_("This must be true or false."),
    "literal_error": N_("This is not one of the allowed values."),
    "enum": N_("This is not one of the allowed values."),
    "extra_forbidden": N_("This field is not expected here."),
    "less_than_equal": N_("This number is too large."),
    "greater_than_equal": N_("This number is too small."),
}
FALLBACK = N_("This value is not valid.")


def field_messages(error: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or "body"
        if item["type"] == "value_error" and "error" in item.get("ctx", {}):
            message = str(item["ctx"]["error"])  # our own validators raise ValueError(msgid)
        else:
            message = GENERIC_MESSAGES.get(item["type"], FALLBACK)
        fields.setdefault(name, message)
    return fields


def validate(model: type[Model], data: Any) -> Model:
    """Validate input or raise a 422 naming every field at fault."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(N_("Some of the information given is not valid."), fields=field_messages(exc)) from None
