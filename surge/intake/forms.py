"""What a volunteer registration and a donation offer take, from the web, a call-taker or the API, and what
the intake answers. One set of rules for every channel."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from clearinghouse.patterns import EMAIL
from clearinghouse.taxonomy import clean_categories, clean_skills
from surge.kernel.i18n import N_
from surge.kernel.validation import ZIP_PATTERN, clean_languages, one_of

MAX_ITEMS = 50
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SHIFTS = ("morning", "afternoon", "evening", "overnight")
NOT_DIGITS = re.compile(r"\D")


def phone_key(phone: str | None) -> str | None:
    """The digits that name a phone line: a US number without its leading 1, others as dialled."""
    digits = NOT_DIGITS.sub("", phone or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits or None


def email_key(email: str | None) -> str | None:
    return email.strip().lower() if email else None


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Contact(StrEnum):
    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"


class Activity(StrEnum):
    SIGNIFICANT = "significant"
    SOME = "some"
    LITTLE = "little"


class ContactFields(Strict):
    """A person or donor: a name, and a phone number or an e-mail address (at least one)."""

    FIELD_MESSAGES: ClassVar[dict[str, str]] = {
        "phone": N_("Give a phone number of 10 digits, such as 713-555-0100."),
        "email": N_("Give an e-mail address such as name@example.org."),
        "zip": N_("Give a five-digit ZIP code."),
    }

    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=320)
    zip: str = Field(pattern=ZIP_PATTERN.pattern)
    address: str | None = Field(default=None, max_length=300)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if not value:
            return None
        digits = phone_key(value) or ""
        if not 10 <= len(digits) <= 15:
            raise ValueError(N_("Give a phone number of 10 digits, such as 713-555-0100."))
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not EMAIL.match(value):
            raise ValueError(N_("Give an e-mail address such as name@example.org."))
        return value

    @model_validator(mode="after")
    def _reachable(self):
        if not self.phone and not self.email:
            raise ValueError(N_("Give a phone number or an e-mail address, so the agency can reach you."))
        return self


class Availability(Strict):
    start: date | None = Field(default=None, alias="from")
    end: date | None = Field(default=None, alias="to")
    days: list[str] = Field(default_factory=list, max_length=7)
    shifts: list[str] = Field(default_factory=list, max_length=4)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        return one_of(value, DAYS, N_("Use the days mon, tue, wed, thu, fri, sat and sun."))

    @field_validator("shifts")
    @classmethod
    def _shifts(cls, value: list[str]) -> list[str]:
        return one_of(value, SHIFTS, N_("Use the shifts morning, afternoon, evening and overnight."))

    @model_validator(mode="after")
    def _order(self):
        if self.start and self.end and self.end < self.start:
            raise ValueError(N_("The last day comes before the first."))
        return self


class Consents(Strict):
    share_with_clearinghouses: bool = False
    background_check: bool = False


class VolunteerIn(ContactFields):
    preferred_contact: Contact = Contact.PHONE
    travel_miles: float = Field(default=25, ge=0, le=500, allow_inf_nan=False)
    skills: list[str] = Field(default_factory=list, max_length=30)
    certifications: list[str] = Field(default_factory=list, max_length=20)
    languages: list[str] = Field(default_factory=lambda: ["en"], max_length=10)
    availability: Availability = Field(default_factory=Availability)
    organisation: str | None = Field(default=None, max_length=200)
    adult: bool = True
    guardian: str | None = Field(default=None, max_length=200)
    activity: Activity = Activity.SOME
    consents: Consents = Field(default_factory=Consents)

    @field_validator("skills")
    @classmethod
    def _skills(cls, value: list[str]) -> list[str]:
        return clean_skills(value)

    @field_validator("certifications")
    @classmethod
    def _certifications(cls, value: list[str]) -> list[str]:
        if any(not 1 <= len(item) <= 100 for item in value):
            raise ValueError(N_("Name each certification or licence in 100 characters or fewer."))
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        return clean_languages(value)

    @model_validator(mode="after")
    def _guardian(self):
        if not self.adult and not self.guardian:
            raise ValueError(N_("A volunteer under 18 needs a parent or guardian named."))
        if not self.consents.share_with_clearinghouses:
            raise ValueError(N_("We can refer you only if you agree that we share your registration with the "
                                "volunteer agencies."))
        return self


class DonorType(StrEnum):
    INDIVIDUAL = "individual"
    BUSINESS = "business"
    ORGANISATION = "organisation"


class Condition(StrEnum):
    NEW = "new"
    USED = "used"


class Packaging(StrEnum):
    LOOSE = "loose"
    BOXED = "boxed"
    PALLETISED = "palletised"


class ItemIn(Strict):
    category: str = Field(max_length=40)
    description: str = Field(default="", max_length=500)
    quantity: float = Field(default=1, gt=0, le=10_000_000, allow_inf_nan=False)
    unit: str = Field(default="each", min_length=1, max_length=40)
    condition: Condition = Condition.NEW
    packaging: Packaging = Packaging.BOXED
    perishable: bool = False
    expiry: date | None = None

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        return clean_categories([value])[0]


class DonationIn(ContactFields):
    donor_type: DonorType = DonorType.INDIVIDUAL
    organisation: str | None = Field(default=None, max_length=200)
    items: list[ItemIn] = Field(default_factory=list, max_length=MAX_ITEMS)
    can_deliver: bool = False
    available_from: date | None = None
    available_to: date | None = None
    estimated_value: float | None = Field(default=None, ge=0, le=100_000_000, allow_inf_nan=False)
    cash_pledge: float | None = Field(default=None, ge=0, le=100_000_000, allow_inf_nan=False)

    @model_validator(mode="after")
    def _something(self):
        if not self.items and not self.cash_pledge:
            raise ValueError(N_("Offer at least one item, or a gift of money."))
        if self.available_from and self.available_to and self.available_to < self.available_from:
            raise ValueError(N_("The last day comes before the first."))
        return self


class ReferralBrief(BaseModel):
    id: int
    clearinghouse: str
    state: str
    code: str


class IntakeOut(BaseModel):
    """What the intake answers: the record, whether it was matched, and where it was referred."""

    id: int
    reference: str = Field(description="the number a person quotes when they call back")
    kind: str = Field(description="volunteer or donation")
    status: str = Field(description="matched, reserve (volunteers) or on_file (goods not needed now)")
    updated: bool = Field(description="true when the same person had registered before: one record, updated")
    referrals: list[ReferralBrief]
    cash_links: list[str] = Field(default_factory=list, description="where money helps most, from the linked "
                                                                     "clearinghouses")
