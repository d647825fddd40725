"""Reading the volunteer and donation forms (public or a call-taker's) into the intake's own models.

The forms post flat fields; these turn them into the nested bodies the API takes, so both channels are
checked by one set of rules (surge.intake.forms).
"""

from __future__ import annotations

from starlette.datastructures import FormData

MAX_TEXT = 2_000
ITEM_ROWS = 5  # item rows on the donation form; the API takes up to 50


def _text(form: FormData, name: str) -> str:
    return str(form.get(name, ""))[:MAX_TEXT].strip()


def _many(form: FormData, name: str, limit: int = 40) -> list[str]:
    return [str(value)[:100] for value in form.getlist(name)[:limit]]


def _optional(value: str) -> str | None:
    return value or None


def volunteer_body(form: FormData) -> dict:
    certifications = [part.strip() for part in _text(form, "certifications").split(",") if part.strip()]
    languages = _many(form, "languages") + [code.strip().lower() for code in _text(form, "other_languages")
                                            .replace(",", " ").split() if code.strip()]
    availability = {"days": _many(form, "days", 7), "shifts": _many(form, "shifts", 4)}
    for field in ("from", "to"):
        if _text(form, f"available_{field}"):
            availability[field] = _text(form, f"available_{field}")
    return {
        "name": _text(form, "name"), "phone": _optional(_text(form, "phone")), "email": _optional(_text(form, "email")),
        "preferred_contact": _text(form, "preferred_contact") or "phone", "zip": _text(form, "zip"),
        "address": _optional(_text(form, "address")), "travel_miles": _text(form, "travel_miles") or "25",
        "skills": _many(form, "skills"), "certifications": certifications, "languages": languages or ["en"],
        "availability": availability, "organisation": _optional(_text(form, "organisation")),
        "adult": _text(form, "adult") != "no", "guardian": _optional(_text(form, "guardian")),
        "activity": _text(form, "activity") or "some",
        "consents": {"share_with_clearinghouses": bool(form.get("consent_share")),
                     "background_check": bool(form.get("consent_background"))},
    }


def donation_body(form: FormData) -> tuple[dict, list[int]]:
    """The body, and the form row each item came from (empty rows are skipped), to place errors."""
    items, rows = [], []
    for row in range(ITEM_ROWS):
        category = _text(form, f"item{row}_category")
        if not category:
            continue
        item = {"category": category, "description": _text(form, f"item{row}_description"),
                "quantity": _text(form, f"item{row}_quantity") or "1", "unit": _text(form, f"item{row}_unit") or "each",
                "condition": _text(form, f"item{row}_condition") or "new",
                "packaging": _text(form, f"item{row}_packaging") or "boxed",
                "perishable": bool(form.get(f"item{row}_perishable"))}
        if _text(form, f"item{row}_expiry"):
            item["expiry"] = _text(form, f"item{row}_expiry")
        items.append(item)
        rows.append(row)
    body = {"donor_type": _text(form, "donor_type") or "individual", "name": _text(form, "name"),
            "organisation": _optional(_text(form, "organisation")), "phone": _optional(_text(form, "phone")),
            "email": _optional(_text(form, "email")), "zip": _text(form, "zip"),
            "address": _optional(_text(form, "address")), "items": items, "can_deliver": bool(form.get("can_deliver"))}
    for name in ("available_from", "available_to", "estimated_value", "cash_pledge"):
        if _text(form, name):
            body[name] = _text(form, name)
    return body, rows


def field_of(location: str, rows: list[int] = ()) -> str:
    """The form field an error names: "availability.from" -> "available_from", "items.0.quantity" ->
    "item<row>_quantity" for the form row the first item came from."""
    parts = location.split(".")
    if parts[0] == "items" and len(parts) > 2 and parts[1].isdigit() and int(parts[1]) < len(rows):
        return f"item{rows[int(parts[1])]}_{parts[2]}"
    if parts[0] == "availability" and len(parts) > 1:
        return {"from": "available_from", "to": "available_to"}.get(parts[1], parts[1])
    if parts[0] == "consents":
        return "consent_share"
    return parts[0] or "form"
