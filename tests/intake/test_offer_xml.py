"""A donation offer as EDXL-RM over HTTP: valid against the OASIS schema, contact only for those who may see it."""

import pytest
from lxml import etree
from sqlmodel import select

from surge.kernel.audit import AuditEntry
from surge.kernel.db import unit_of_work
from tests.clearinghouse.test_edxl_rm import SCHEMA
from tests.intake.test_intake_api import exercise  # noqa: F401  (fixture)

HOSTILE = '<script>alert("x")</script> ]]>'


@pytest.fixture
def offered(client, exercise, make_token):  # noqa: F811
    caller = {"authorization": f"Bearer {make_token(role='call_taker', name='desk', center='houston-211')}"}
    answer = client.post(f"/api/v1/incidents/{exercise}/donations", headers=caller, json={
        "name": "Water Co", "donor_type": "business", "phone": "361-555-0100", "email": "water@example.org",
        "zip": "78401", "items": [{"category": "water", "quantity": 2, "unit": "pallets", "packaging": "palletised",
                                   "description": HOSTILE}]})
    assert answer.status_code == 201, answer.text
    return answer.json()


def _bearer(make_token, role, **ties):
    return {"authorization": f"Bearer {make_token(role=role, name=f'{role}-xml', **ties)}"}


def test_the_offer_validates_and_a_manager_sees_the_contact(client, offered, make_token, engine):
    answer = client.get(f"/api/v1/donations/{offered['id']}.xml", headers=_bearer(make_token, "emergency_manager"))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/xml")
    document = etree.fromstring(answer.content)
    etree.XMLSchema(etree.parse(str(SCHEMA))).assertValid(document)
    assert b"361-555-0100" in answer.content and HOSTILE.encode() not in answer.content
    with unit_of_work(engine) as session:
        views = session.exec(select(AuditEntry).where(AuditEntry.action == "contact.view",
                                                      AuditEntry.target_id == str(offered["id"]))).all()
    assert len(views) == 1


def test_the_referred_clearinghouse_sees_no_contact_before_accepting(client, offered, make_token):
    referred = offered["referrals"][0]["clearinghouse"]
    answer = client.get(f"/api/v1/donations/{offered['id']}.xml",
                        headers=_bearer(make_token, "clearinghouse", clearinghouse=referred))
    assert answer.status_code == 200
    assert b"361-555-0100" not in answer.content and b"water@example.org" not in answer.content


def test_another_clearinghouse_and_unknown_offers_get_404(client, offered, make_token):
    other = _bearer(make_token, "clearinghouse", clearinghouse="houston-vrc")
    assert client.get(f"/api/v1/donations/{offered['id']}.xml", headers=other).status_code == 404
    manager = _bearer(make_token, "admin")
    assert client.get("/api/v1/donations/999999.xml", headers=manager).status_code == 404
    assert client.get(f"/api/v1/donations/{offered['id']}.xml",
                      headers=_bearer(make_token, "call_taker", center="houston-211")).status_code == 403
