"""GET /api/v1/taxonomy: the volunteer skills and donation categories, with labels in the caller's language."""

from __future__ import annotations

from pydantic import BaseModel, Field
from starlette.requests import Request

from clearinghouse.taxonomy import DONATION_CATEGORIES, SKILLS, Term
from surge.kernel.i18n import translate
from surge.web.api.routing import Call, Operation, api_route
from surge.web.infra.templating import language_of


class TermOut(BaseModel):
    code: str = Field(description="stable lower-case snake_case code")
    label: str = Field(description="in the caller's language (Accept-Language)")
    hsis: str | None = Field(description="a mapped 211 HSIS taxonomy code, when a center has loaded one")


class TaxonomyOut(BaseModel):
    skills: list[TermOut]
    donation_categories: list[TermOut]


def _terms(language: str, terms: tuple[Term, ...]) -> list[TermOut]:
    return [TermOut(code=term.code, label=translate(language, term.label), hsis=term.hsis) for term in terms]


async def taxonomy(request: Request, call: Call) -> TaxonomyOut:
    language = language_of(request)
    return TaxonomyOut(skills=_terms(language, SKILLS), donation_categories=_terms(language, DONATION_CATEGORIES))


routes = [
    api_route("/api/v1/taxonomy", taxonomy, methods=["GET"], name="api_taxonomy", op=Operation(
        summary="Volunteer skills and donation categories, with stable codes", tag="clearinghouses",
        response=TaxonomyOut, rate_limited=True)),
]
