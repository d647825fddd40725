"""Follow-up: after some days a person still waiting is e-mailed a one-time link; the answer is taken once."""

import re
from datetime import timedelta

from sqlmodel import select

from surge.intake.follow_ups import send_due
from surge.intake.models import FollowUp
from surge.kernel.clock import utcnow
from surge.kernel.db import run_in_transaction, unit_of_work
from surge.outbox.models import OutboxMessage
from tests.conftest import csrf_from
from tests.intake.test_intake_api import caller, exercise, volunteer  # noqa: F401  (fixtures and body)

BASE = "https://surge.example.org"


def _registered(client, exercise, caller, **changes):  # noqa: F811
    answer = client.post(f"/api/v1/incidents/{exercise}/volunteers", headers=caller, json=volunteer(**changes))
    assert answer.status_code == 201 and answer.json()["status"] == "matched", answer.text
    return answer.json()


def _link(engine) -> str:
    with unit_of_work(engine) as session:
        message = session.exec(select(OutboxMessage).where(OutboxMessage.topic == "intake.follow_up")).one()
    return re.search(rf"{BASE}(/follow-up/\S+)", message.body["text"]).group(1)


def test_a_person_still_waiting_is_asked_once(client, exercise, caller, engine):  # noqa: F811
    _registered(client, exercise, caller)
    assert run_in_transaction(engine, send_due, now=utcnow() + timedelta(days=1), days=3, base_url=BASE, limit=10) == 0
    later = utcnow() + timedelta(days=4)
    assert run_in_transaction(engine, send_due, now=later, days=3, base_url=BASE, limit=10) == 1
    assert run_in_transaction(engine, send_due, now=later, days=3, base_url=BASE, limit=10) == 0
    with unit_of_work(engine) as session:
        message = session.exec(select(OutboxMessage).where(OutboxMessage.topic == "intake.follow_up")).one()
        assert message.recipient == "ana@example.org"


def test_the_link_takes_one_answer(client, exercise, caller, engine):  # noqa: F811
    _registered(client, exercise, caller)
    run_in_transaction(engine, send_due, now=utcnow() + timedelta(days=4), days=3, base_url=BASE, limit=10)
    path = _link(engine)
    page = client.get(path)
    assert page.status_code == 200 and 'name="satisfaction"' in page.text
    bad = client.post(path, data={"csrf_token": csrf_from(page.text), "contacted": "yes", "satisfaction": "9"})
    assert bad.status_code == 422 and 'id="satisfaction-error"' in bad.text
    done = client.post(path, data={"csrf_token": csrf_from(page.text), "contacted": "no", "satisfaction": "2",
                                   "comment": "<script>x</script>"})
    assert done.status_code == 200 and "Thank you." in done.text
    again = client.post(path, data={"csrf_token": csrf_from(page.text), "contacted": "yes", "satisfaction": "5"})
    assert "answered already" in again.text
    with unit_of_work(engine) as session:
        answer = session.exec(select(FollowUp)).one()
        assert (answer.contacted, answer.satisfaction, answer.comment) == (False, 2, "<script>x</script>")


def test_an_unknown_link_is_404(client):
    assert client.get("/follow-up/not-a-real-token-at-all").status_code == 404
    assert client.get("/follow-up/x").status_code == 404


def test_a_person_who_speaks_only_spanish_is_asked_in_spanish(client, exercise, caller, engine):  # noqa: F811
    _registered(client, exercise, caller, languages=["es"], email="rosa@example.org", phone="504-555-0144",
                zip="70112")
    run_in_transaction(engine, send_due, now=utcnow() + timedelta(days=4), days=3, base_url=BASE, limit=10)
    with unit_of_work(engine) as session:
        message = session.exec(select(OutboxMessage).where(OutboxMessage.topic == "intake.follow_up")).one()
    assert message.subject == "¿Se comunicó con usted la agencia?" and "Díganos con un clic" in message.body["text"]


def test_a_donor_is_asked_in_the_language_the_offer_was_made_in(client, exercise, caller, engine):  # noqa: F811
    donors = (("es", "agua@example.org", "361-555-0101"), ("en", "water@example.org", "361-555-0102"))
    for language, email, phone in donors:
        offer = {"name": "Agua SA", "donor_type": "business", "email": email, "phone": phone, "zip": "78401",
                 "items": [{"category": "water", "quantity": 2, "unit": "pallets", "packaging": "palletised"}]}
        offered = client.post(f"/api/v1/incidents/{exercise}/donations", json=offer,
                              headers={**caller, "accept-language": language})
        assert offered.status_code == 201 and offered.json()["status"] == "matched", offered.text
    run_in_transaction(engine, send_due, now=utcnow() + timedelta(days=4), days=3, base_url=BASE, limit=10)
    with unit_of_work(engine) as session:
        asked = {message.recipient: message.subject for message in session.exec(
            select(OutboxMessage).where(OutboxMessage.topic == "intake.follow_up")).all()}
    assert asked == {"agua@example.org": "¿Se comunicó con usted la agencia?",
                     "water@example.org": "Did the agency contact you?"}
