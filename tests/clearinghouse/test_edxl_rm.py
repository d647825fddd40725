"""Donation offers rendered as EDXL-RM 1.0 OfferUnsolicitedResource validate against the OASIS schema,
and carry what the offer says (and no contact details unless asked)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from clearinghouse.edxl_rm import MSG, RM, XPIL, Offer, OfferItem, OfferLocation, Sender, render

SCHEMA = (Path(__file__).resolve().parent.parent / "data" / "schemas" / "edxl-rm-1.0" / "external" / "edxl-rm"
          / "1.0" / "EDXL-RMOfferUnsolicitedResource.xsd")
NS = {"m": MSG, "rm": RM, "xpil": XPIL}
SENT = datetime(2026, 11, 27, 13, 5, 9, tzinfo=timezone(timedelta(hours=-6)))
HOSTILE = "<script>alert(1)</script> ]]> & \"quotes\" 'apostrophes' </ResourceInformation>"


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def valid(text: str) -> etree._Element:
    document = etree.fromstring(text.encode())
    if not schema().validate(document):
        pytest.fail(f"{schema().error_log}\n{text}")
    return document


def water(**changes) -> OfferItem:
    base = OfferItem(category="water", description="Bottled water, 24 × 500 ml", quantity=40, unit="cases",
                     condition="new", packaging="palletised", perishable=False, expires=None)
    return replace(base, **changes)


def offer(**changes) -> Offer:
    base = Offer(id="offer-2026-0001", incident_slug="tx-flood-2026", incident_name="Texas floods, November 2026",
                 sent=SENT, sender=Sender(organisation="Gulf Grocers", person="Ana Núñez", phone="+1 713 555 0100",
                                          email="ana@example.org"),
                 donor_type="business", items=(water(),), location=OfferLocation(zip="77002", lat=29.7564, lon=-95.3650),
                 can_deliver=True, available_from=date(2026, 11, 28), available_to=date(2026, 12, 5),
                 estimated_value=1250.0)
    return replace(base, **changes)


def texts(document: etree._Element, path: str) -> list[str]:
    return [element.text for element in document.xpath(path, namespaces=NS)]


def test_the_schema_is_strict_enough_to_mean_something():
    document = valid(render(offer()))
    document.remove(document.find("m:OriginatingMessageID", NS))
    assert not schema().validate(document)


def test_one_item_carries_the_offer():
    document = valid(render(offer()))
    assert texts(document, "m:MessageID") == ["offer-2026-0001"]
    assert texts(document, "m:OriginatingMessageID") == ["offer-2026-0001"]
    assert texts(document, "m:SentDateTime") == ["2026-11-27T13:05:09-06:00"]
    assert texts(document, "m:MessageContentType") == ["OfferUnsolicitedResource"]
    assert texts(document, "m:MessageDescription") == ["Estimated value: 1250.00 USD"]
    assert texts(document, "m:IncidentInformation/rm:IncidentID") == ["tx-flood-2026"]
    assert texts(document, "m:IncidentInformation/rm:IncidentDescription") == ["Texas floods, November 2026"]
    assert texts(document, "m:ContactInformation/rm:ContactRole") == ["Owner"]
    [resource] = document.xpath("m:ResourceInformation", namespaces=NS)
    assert texts(resource, "m:ResourceInfoElementID") == ["1"]
    assert texts(resource, "m:Resource/m:Name") == ["Water"]
    assert texts(resource, "m:Resource/m:TypeStructure/rm:Value") == ["water"]
    assert texts(resource, "m:Resource/m:Keyword/rm:Value") == ["new", "palletised", "false"]
    assert texts(resource, "m:Resource/m:Description") == ["Bottled water, 24 × 500 ml"]
    assert texts(resource, ".//rm:MeasuredQuantity/rm:Amount") == ["40.0"]
    assert texts(resource, ".//rm:MeasuredQuantity/rm:UnitOfMeasure/rm:Value") == ["cases"]
    assert texts(resource, ".//rm:ModeOfTransportation") == ["Donor delivers"]
    assert texts(resource, "m:ScheduleInformation/m:ScheduleType") == ["BeginAvailable", "EndAvailable"]
    assert texts(resource, "m:ScheduleInformation/m:DateTime") == ["2026-11-28T00:00:00", "2026-12-05T23:59:59"]
    assert texts(resource, ".//m:Location//*[local-name()='Identifier']") == ["77002"]
    assert texts(resource, ".//m:Location//*[local-name()='pos']") == ["29.7564 -95.365"]


def test_many_items_each_get_their_own_resource_information():
    items = (water(),
             water(category="non_perishable_food", description="Canned beans", quantity=12.5, unit="kg",
                   perishable=True, expires=date(2027, 6, 30)),
             water(category="used_clothing", description="", quantity=3, unit="", condition="used",
                   packaging="boxed"),
             water(category="not_in_the_taxonomy", quantity=1e21, packaging="loose"))
    document = valid(render(offer(items=items, can_deliver=False)))
    assert texts(document, "m:ResourceInformation/m:ResourceInfoElementID") == ["1", "2", "3", "4"]
    assert texts(document, "m:ResourceInformation/m:Resource/m:Name") == [
        "Water", "Non-perishable food", "Used clothing", "not_in_the_taxonomy"]
    food, clothes = document.xpath("m:ResourceInformation", namespaces=NS)[1:3]
    assert texts(food, "m:Resource/m:Keyword/rm:Value") == ["new", "palletised", "true", "2027-06-30"]
    assert texts(food, "m:Resource/m:SpecialRequirements") == ["Perishable, use by 2027-06-30"]
    assert texts(clothes, "m:Resource/m:Description") == []
    assert texts(clothes, ".//rm:UnitOfMeasure") == []
    assert texts(document, ".//rm:ModeOfTransportation") == ["Pick-up needed"] * 4
    assert texts(document, ".//rm:Amount")[3] == "1e+21"


def test_contact_details_only_when_asked():
    without = valid(render(offer()))
    assert without.xpath("//rm:AdditionalContactInformation", namespaces=NS) == []
    assert "Ana" not in render(offer()) and "555" not in render(offer()) and "@" not in render(offer())
    assert texts(without, "m:ContactInformation/rm:ContactDescription") == [
        "Donor type: business; organisation: Gulf Grocers"]
    with_contact = valid(render(offer(), with_contact=True))
    party = with_contact.xpath("//rm:AdditionalContactInformation", namespaces=NS)[0]
    assert [e.text for e in party.iter("{*}NameElement")] == ["Ana Núñez", "Gulf Grocers"]
    assert texts(party, ".//xpil:ContactNumberElement") == ["+1 713 555 0100"]
    assert texts(party, ".//xpil:ElectronicAddressIdentifier") == ["ana@example.org"]


@pytest.mark.parametrize("sender", [Sender(), Sender(person="Sam"), Sender(email="sam@example.org"),
                                    Sender(organisation="Church of the Rock", phone="713-555-0199")])
def test_any_part_of_the_sender_may_be_missing(sender):
    for with_contact in (False, True):
        valid(render(offer(sender=sender), with_contact=with_contact))


def test_missing_optional_fields_are_left_out():
    bare = offer(sender=Sender(), location=None, available_from=None, available_to=None, estimated_value=None,
                 items=(water(description="", unit=""),))
    document = valid(render(bare, with_contact=True))
    assert texts(document, "m:MessageDescription") == []
    assert texts(document, "m:ContactInformation/rm:ContactDescription") == ["Donor type: business"]
    assert texts(document, ".//m:ScheduleInformation/m:ScheduleType") == ["BeginAvailable"]
    assert texts(document, ".//m:ScheduleInformation/m:DateTime") == []
    assert document.xpath(".//m:Location", namespaces=NS) == []


@pytest.mark.parametrize("where", [OfferLocation(zip="77002"), OfferLocation(lat=29.7, lon=-95.3),
                                   OfferLocation(lat=29.7), OfferLocation()])
def test_a_location_may_be_a_zip_code_a_point_or_neither(where):
    document = valid(render(offer(location=where)))
    assert bool(document.xpath(".//m:Location", namespaces=NS)) == (where.zip is not None or where.lon is not None)


def test_hostile_and_non_ascii_text_is_escaped_and_survives():
    texts_in = {
        "description": HOSTILE,
        "unit": "<![CDATA[boxes]]>",
        "organisation": "Ünïcödé & Söns — 日本語 العربية 🚒",
        "person": "Zoë <b>O'Brien</b>",
        "email": "a&b@example.org",
        "incident": "Flood ]]> <!-- comment --> <?pi?>",
    }
    hostile = offer(id="id-<1>&", incident_name=texts_in["incident"],
                    sender=Sender(organisation=texts_in["organisation"], person=texts_in["person"],
                                  phone="+1 (713) 555-0100\n\text. 7", email=texts_in["email"]),
                    items=(water(description=texts_in["description"], unit=texts_in["unit"]),),
                    location=OfferLocation(zip="<zip>"))
    text = render(hostile, with_contact=True)
    assert "<script>" not in text and "<b>" not in text and "<![CDATA[" not in text and "<!--" not in text
    document = valid(text)
    assert texts(document, "m:MessageID") == ["id-<1>&"]
    assert texts(document, ".//m:Resource/m:Description") == [HOSTILE]
    assert texts(document, ".//rm:UnitOfMeasure/rm:Value") == [texts_in["unit"]]
    assert texts(document, ".//rm:IncidentDescription") == [texts_in["incident"]]
    names = [e.text for e in document.iter("{*}NameElement")]
    assert names == [texts_in["person"], texts_in["organisation"]]
    assert texts(document, ".//xpil:ElectronicAddressIdentifier") == [texts_in["email"]]


def test_characters_xml_cannot_carry_become_replacement_characters():
    text = render(offer(items=(water(description="nul\x00 bell\x07 vt\x0b surrogate\ud800 ok\t\n"),)))
    document = valid(text)
    assert texts(document, ".//m:Resource/m:Description") == ["nul\ufffd bell\ufffd vt\ufffd surrogate\ufffd ok\t\n"]


def test_refuses_what_cannot_be_a_valid_message():
    with pytest.raises(ValueError):
        render(offer(sent=datetime(2026, 11, 27, 13, 0)))  # naive
    with pytest.raises(ValueError):
        render(offer(items=()))
    with pytest.raises(ValueError):
        render(offer(items=(water(quantity=float("nan")),)))
    with pytest.raises(ValueError):
        render(offer(estimated_value=float("inf")))
