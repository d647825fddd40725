"""A donation offer as an OASIS EDXL-RM 1.0 OfferUnsolicitedResource message.

Built with lxml, so every text and attribute is escaped by the library; characters that XML 1.0
cannot carry at all (most control characters) become U+FFFD. The result validates against
EDXL-RMOfferUnsolicitedResource.xsd (tests/clearinghouse/test_edxl_rm.py).

Mapping choices:
- MessageID is the offer's id. OriginatingMessageID, required by the schema, repeats it: an
  unsolicited offer starts its own conversation, and the answers (CommitResource,
  ResponseToRequestResource) point back to it.
- MessageDescription carries the offer's estimated value in US dollars, when known: the message
  has no money element for a whole offer (PriceQuote is per resource).
- IncidentInformation: IncidentID is the incident's slug, IncidentDescription its name.
- One ContactInformation, role Owner: the donor owns the goods, the 2-1-1 sends on their behalf.
  ContactDescription names the donor type and the organisation. The person's name, phone and
  e-mail go into AdditionalContactInformation (CIQ xPIL) only when `with_contact` is true.
- One ResourceInformation per item, numbered from 1. Resource: Name is the category's English
  label from the taxonomy, TypeStructure the category code, Keyword the condition, packaging,
  perishability and use-by date as codes, Description the donor's own words, SpecialRequirements
  a perishable item's handling. AssignmentInformation: Quantity as MeasuredQuantity (amount, the
  donor's unit) and, in AssignmentInstructions, ModeOfTransportation: whether the donor delivers.
- ScheduleInformation: BeginAvailable with the offer's location (ZIP as an xAL PostCode,
  the point as a GML Point, latitude first), and EndAvailable when there is an end date. Dates have
  no time zone: a day is local to the place where the goods are.
Optional parts with nothing to say are left out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from lxml import etree

from clearinghouse.taxonomy import DONATION_CATEGORIES

MSG = "urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg"
RM = "urn:oasis:names:tc:emergency:EDXL:RM:1.0"
XPIL = "urn:oasis:names:tc:ciq:xpil:3"
XNL = "urn:oasis:names:tc:ciq:xnl:3"
XAL = "urn:oasis:names:tc:ciq:xal:3"
GML = "http://www.opengis.net/gml"
NSMAP = {None: MSG, "rm": RM, "xpil": XPIL, "xnl": XNL, "xal": XAL, "gml": GML}

# Value lists named by URN, so that a receiver can tell our codes from anyone else's.
CATEGORY_LIST = "urn:x-surge:donation-category"
UNIT_LIST = "urn:x-surge:unit"
CONDITION_LIST = "urn:x-surge:condition"
PACKAGING_LIST = "urn:x-surge:packaging"
PERISHABLE_LIST = "urn:x-surge:perishable"
USE_BY_LIST = "urn:x-surge:use-by"

LABELS = {term.code: term.label for term in DONATION_CATEGORIES}
# Everything XML 1.0 allows; anything else could not be written at all.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Sender:
    organisation: str | None = None
    person: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class OfferItem:
    category: str  # a donation-category code of the taxonomy
    description: str
    quantity: float
    unit: str
    condition: Literal["new", "used"]
    packaging: Literal["loose", "boxed", "palletised"]
    perishable: bool = False
    expires: date | None = None


@dataclass(frozen=True)
class OfferLocation:
    zip: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Offer:
    id: str
    incident_slug: str
    incident_name: str
    sent: datetime  # aware
    sender: Sender
    donor_type: str
    items: tuple[OfferItem, ...]
    location: OfferLocation | None = None
    can_deliver: bool = False
    available_from: date | None = None
    available_to: date | None = None
    estimated_value: float | None = None  # US dollars


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    return repr(float(value))


def _money(value: float) -> str:
    _number(value)  # refuses inf and nan
    return f"{value:.2f}"


def _add(parent: etree._Element, ns: str, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", {key: _text(v) for key, v in attributes.items()})
    if text is not None:
        element.text = _text(text)
    return element


def _value_list(parent: etree._Element, ns: str, tag: str, urn: str, value: str) -> None:
    element = _add(parent, ns, tag)
    _add(element, RM, "ValueListURN", urn)
    _add(element, RM, "Value", value)


def _contact(root: etree._Element, offer: Offer, with_contact: bool) -> None:
    contact = _add(root, MSG, "ContactInformation")
    sender = offer.sender
    description = f"Donor type: {offer.donor_type}"
    if sender.organisation:
        description += f"; organisation: {sender.organisation}"
    _add(contact, RM, "ContactDescription", description)
    _add(contact, RM, "ContactRole", "Owner")
    if not with_contact or not (sender.organisation or sender.person or sender.phone or sender.email):
        return
    party = _add(contact, RM, "AdditionalContactInformation")
    if sender.organisation or sender.person:  # xPIL: PartyName, ContactNumbers, then e-mail addresses
        names = _add(party, XPIL, "PartyName")
        if sender.person:
            _add(_add(names, XNL, "PersonName"), XNL, "NameElement", sender.person)
        if sender.organisation:
            _add(_add(names, XNL, "OrganisationName"), XNL, "NameElement", sender.organisation)
    if sender.phone:
        number = _add(_add(party, XPIL, "ContactNumbers"), XPIL, "ContactNumber",
                      **{f"{{{XPIL}}}CommunicationMediaType": "Telephone"})
        _add(number, XPIL, "ContactNumberElement", sender.phone)
    if sender.email:
        _add(_add(party, XPIL, "ElectronicAddressIdentifiers"), XPIL, "ElectronicAddressIdentifier",
             sender.email, **{f"{{{XPIL}}}Type": "EMAIL"})


def _location(parent: etree._Element, where: OfferLocation) -> None:
    point = where.lat is not None and where.lon is not None
    if where.zip is None and not point:
        return
    location = _add(parent, MSG, "Location")
    if where.zip is not None:
        _add(location, RM, "LocationDescription", f"ZIP code {where.zip}")
        postcode = _add(_add(location, RM, "Address"), XAL, "PostCode")
        _add(postcode, XAL, "Identifier", where.zip)
    if point:
        gml_point = _add(_add(location, RM, "TargetArea"), GML, "Point", srsName="EPSG:4326")
        _add(gml_point, GML, "pos", f"{_number(where.lat)} {_number(where.lon)}")


def _schedule(parent: etree._Element, kind: str, day: date | None, end_of_day: bool,
              where: OfferLocation | None) -> None:
    schedule = _add(parent, MSG, "ScheduleInformation")
    _add(schedule, MSG, "ScheduleType", kind)
    if day is not None:
        _add(schedule, MSG, "DateTime", f"{day.isoformat()}T{'23:59:59' if end_of_day else '00:00:00'}")
    if where is not None:
        _location(schedule, where)


def _resource(root: etree._Element, offer: Offer, number: int, item: OfferItem) -> None:
    info = _add(root, MSG, "ResourceInformation")
    _add(info, MSG, "ResourceInfoElementID", str(number))
    resource = _add(info, MSG, "Resource")
    _add(resource, MSG, "Name", LABELS.get(item.category, item.category))
    _value_list(resource, MSG, "TypeStructure", CATEGORY_LIST, item.category)
    _value_list(resource, MSG, "Keyword", CONDITION_LIST, item.condition)
    _value_list(resource, MSG, "Keyword", PACKAGING_LIST, item.packaging)
    _value_list(resource, MSG, "Keyword", PERISHABLE_LIST, "true" if item.perishable else "false")
    if item.expires is not None:
        _value_list(resource, MSG, "Keyword", USE_BY_LIST, item.expires.isoformat())
    if item.description:
        _add(resource, MSG, "Description", item.description)
    if item.perishable:
        use_by = f", use by {item.expires.isoformat()}" if item.expires else ""
        _add(resource, MSG, "SpecialRequirements", f"Perishable{use_by}")

    assignment = _add(info, MSG, "AssignmentInformation")
    measured = _add(_add(assignment, MSG, "Quantity"), RM, "MeasuredQuantity")
    _add(measured, RM, "Amount", _number(item.quantity))
    if item.unit:
        _value_list(measured, RM, "UnitOfMeasure", UNIT_LIST, item.unit)
    instructions = _add(assignment, MSG, "AssignmentInstructions")
    _add(instructions, RM, "ModeOfTransportation", "Donor delivers" if offer.can_deliver else "Pick-up needed")

    _schedule(info, "BeginAvailable", offer.available_from, False, offer.location)
    if offer.available_to is not None:
        _schedule(info, "EndAvailable", offer.available_to, True, None)


def build(offer: Offer, *, with_contact: bool = False) -> etree._Element:
    """The message as an element tree."""
    if offer.sent.tzinfo is None or offer.sent.utcoffset() is None:
        raise ValueError("the sent time must be timezone-aware")
    if not offer.items:
        raise ValueError("an offer has at least one item")
    root = etree.Element(f"{{{MSG}}}OfferUnsolicitedResource", nsmap=NSMAP)
    _add(root, MSG, "MessageID", offer.id)
    _add(root, MSG, "SentDateTime", offer.sent.isoformat(timespec="seconds"))
    _add(root, MSG, "MessageContentType", "OfferUnsolicitedResource")
    if offer.estimated_value is not None:
        _add(root, MSG, "MessageDescription", f"Estimated value: {_money(offer.estimated_value)} USD")
    _add(root, MSG, "OriginatingMessageID", offer.id)
    incident = _add(root, MSG, "IncidentInformation")
    _add(incident, RM, "IncidentID", offer.incident_slug)
    _add(incident, RM, "IncidentDescription", offer.incident_name)
    _contact(root, offer, with_contact)
    for number, item in enumerate(offer.items, start=1):
        _resource(root, offer, number, item)
    return root


def render(offer: Offer, *, with_contact: bool = False) -> str:
    """The message as an XML string (no declaration: it is text; encode it as UTF-8 to send)."""
    return etree.tostring(build(offer, with_contact=with_contact), encoding="unicode")
