"""The clearinghouse portal over HTTP: its own referrals only, answered in bulk, contact after acceptance
(audited), a CSV export safe in a spreadsheet, and its capacity."""

import csv
import io

import pytest
from sqlmodel import select

from surge.kernel.audit import AuditEntry
from surge.kernel.db import unit_of_work
from tests.conftest import csrf_from
from tests.intake.test_intake_api import exercise, volunteer  # noqa: F401  (fixture and body)

FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def referred(client, exercise, make_token):  # noqa: F811
    caller = {"authorization": f"Bearer {make_token(role='call_taker', name='portal-desk', center='houston-211')}"}
    person = client.post(f"/api/v1/incidents/{exercise}/volunteers", headers=caller, json=volunteer()).json()
    goods = client.post(f"/api/v1/incidents/{exercise}/donations", headers=caller, json={
        "name": "Water Co", "phone": "361-555-0100", "zip": "78401",
        "items": [{"category": "water", "quantity": 2, "unit": "pallets", "description": FORMULA}]}).json()
    return person, goods


@pytest.fixture
def vrc(client, make_user, login):
    make_user("clearinghouse", email="vrc-portal@example.org", clearinghouse="houston-vrc")
    login("vrc-portal@example.org")
    return client


def test_the_inbox_shows_its_own_referrals_and_bulk_accept_shows_contact(referred, vrc, engine):
    person, _goods = referred
    mine = [r["id"] for r in person["referrals"] if r["clearinghouse"] == "houston-vrc"]
    page = vrc.get("/portal/referrals?state=sent")
    assert page.status_code == 200 and f"#{mine[0]}" in page.text
    done = vrc.post("/portal/referrals", data={"csrf_token": csrf_from(page.text), "action": "accept",
                                               "referral": mine, "back": "sent"}, follow_redirects=False)
    assert done.status_code == 303 and "done=done" in done.headers["location"]
    detail = vrc.get(f"/portal/referrals/{mine[0]}")
    assert "713-555-0142" in detail.text
    with unit_of_work(engine) as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "contact.view")).all()


def test_before_acceptance_no_contact_and_others_are_404(referred, vrc):
    person, goods = referred
    mine = [r["id"] for r in person["referrals"] if r["clearinghouse"] == "houston-vrc"]
    assert "713-555-0142" not in vrc.get(f"/portal/referrals/{mine[0]}").text
    theirs = goods["referrals"][0]["id"]  # the warehouse's
    assert vrc.get(f"/portal/referrals/{theirs}").status_code == 404


def test_declining_needs_a_reason(referred, vrc):
    person, _ = referred
    mine = [r["id"] for r in person["referrals"] if r["clearinghouse"] == "houston-vrc"]
    page = vrc.get("/portal/referrals?state=sent")
    done = vrc.post("/portal/referrals", data={"csrf_token": csrf_from(page.text), "action": "decline",
                                               "referral": mine, "back": "sent"}, follow_redirects=False)
    assert "done=partly" in done.headers["location"]
    assert vrc.get("/api/v1/referrals/%d" % mine[0]).json()["state"] == "sent"


def test_the_csv_export_neutralises_formulas(client, referred, make_user, login):
    make_user("clearinghouse", email="wh-portal@example.org", clearinghouse="coastal-bend-warehouse")
    login("wh-portal@example.org")
    export = client.get("/portal/referrals.csv")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert rows and rows[0]["description"] == "'" + FORMULA


def test_capacity_is_saved_and_checked(referred, vrc):
    page = vrc.get("/portal/capacity")
    assert vrc.post("/portal/capacity", data={"csrf_token": csrf_from(page.text), "volunteers_per_day": "40"},
                    follow_redirects=False).status_code == 303
    assert 'value="40"' in vrc.get("/portal/capacity").text
    bad = vrc.post("/portal/capacity", data={"csrf_token": csrf_from(page.text), "volunteers_per_day": "-1"})
    assert bad.status_code == 422


def test_the_portal_is_for_coordinators(client, make_user, login):
    make_user("supervisor", email="sup-portal@example.org")
    login("sup-portal@example.org")
    assert client.get("/portal/referrals").status_code == 403
