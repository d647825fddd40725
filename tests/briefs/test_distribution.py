"""Briefs reach their subscribers through the outbox and a real local SMTP server (aiosmtpd), once each, with
the PDF; the delivery log reads the outbox; an e-mail-only subscriber stops with a one-time link."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from surge.briefs import runs
from surge.outbox.smtp import SmtpConfig
from tests.briefs.setup import THRESHOLDS, bearer, just_after_first_period, make_incident
from tests.conftest import csrf_from
from tests.outbox.conftest import clock, free_port, make_deliverer, smtp_server  # noqa: F401 (fixtures)

BASE = "/api/v1/incidents/gulf-flood"
SUBSCRIPTIONS = "/api/v1/brief-subscriptions"
PUBLIC_URL = "http://localhost:8000"


def smtp(port: int) -> SmtpConfig:
    return SmtpConfig(host="127.0.0.1", port=port, sender="briefs@211.example.org", security="none", timeout=5)


def subscribe(client, headers, **body) -> dict:
    made = client.post(SUBSCRIPTIONS, json=body, headers=headers)
    assert made.status_code == 201, made.text
    return made.json()


def deliver(make_deliverer, clock, port: int, **policy):
    # Past every message written in the test, and past the backoff of every failed attempt before it.
    clock.now = max(clock.now, datetime.now(timezone.utc)) + timedelta(days=2)
    return make_deliverer(smtp=smtp(port), **policy).run_once()


def by_recipient(mailbox) -> dict:
    found = {}
    for _sender, recipients, mail in mailbox.messages:
        for recipient in recipients:
            assert recipient not in found, f"{recipient} got two e-mails"
            found[recipient] = mail
    return found


def text_of(mail) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()


def test_a_brief_reaches_each_subscriber_once_with_its_pdf(client, make_token, make_user, engine, smtp_server,
                                                           make_deliverer, clock):
    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    partner = make_user("partner", email="pat@partner.example.org")
    subscribe(client, em, incident="gulf-flood", email="duty@example.org", language="es")
    subscribe(client, em, counties=["48157", "48201"], email="area@example.org")
    subscribe(client, em, counties=["06037"], email="elsewhere@example.org")  # Los Angeles: another area
    subscribe(client, em, incident="gulf-flood", email="both@example.org")
    subscribe(client, em, counties=["48201"], email="both@example.org")  # the same address by area: one e-mail
    subscribe(client, em, counties=["48201"], user_id=partner.id)
    made = client.post(f"{BASE}/briefs", headers=em)
    assert made.status_code == 201, made.text

    assert deliver(make_deliverer, clock, smtp_server.port).total("sent") == 4
    mails = by_recipient(smtp_server)
    assert set(mails) == {"duty@example.org", "area@example.org", "both@example.org", "pat@partner.example.org"}
    for address, mail in mails.items():
        [attachment] = list(mail.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename() == "gulf-flood-brief-1.pdf"
        assert attachment.get_content().startswith(b"%PDF")
        assert f"{PUBLIC_URL}/api/v1/incidents/gulf-flood/briefs/1.html" in text_of(mail)
        has_link = f"{PUBLIC_URL}/briefs/unsubscribe/" in text_of(mail)
        assert has_link == (address != "pat@partner.example.org")  # a partner manages it from its account
    assert mails["duty@example.org"]["Subject"] == "Informe de situación 1: Gulf flood"
    assert mails["area@example.org"]["Subject"] == "Situation brief 1: Gulf flood"
    # Sent, each message keeps what it carried, not a copy of the PDF: that is in the recipient's hands.
    from sqlmodel import select

    from surge.kernel.db import unit_of_work
    from surge.outbox.models import OutboxMessage

    with unit_of_work(engine) as session:
        kept = [m.body["attachments"] for m in session.exec(select(OutboxMessage).where(
            OutboxMessage.topic == "brief.produced", OutboxMessage.state == "sent")).all()]
    pdf_bytes = len(attachment.get_content())
    assert kept == [[{"filename": "gulf-flood-brief-1.pdf", "content_type": "application/pdf", "bytes": pdf_bytes}]] * 4

    # The scheduler's run: the period after activation gets its brief, sent once; a second run sends nothing.
    later = just_after_first_period(engine)
    produced = runs.produce_due(engine, now=later, until=later, thresholds=THRESHOLDS)
    assert [brief.number for brief in produced] == [2]
    assert runs.produce_due(engine, now=later, until=later, thresholds=THRESHOLDS) == []
    assert deliver(make_deliverer, clock, smtp_server.port).total("sent") == 4
    assert deliver(make_deliverer, clock, smtp_server.port).total("sent") == 0
    assert len(smtp_server.messages) == 8


def test_distributing_again_queues_nothing_and_renders_no_pdf(client, make_token, engine, monkeypatch):
    from sqlmodel import select

    from surge.briefs import distribution, documents
    from surge.briefs.models import Brief
    from surge.incidents.models import Incident
    from surge.kernel.db import run_in_transaction

    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    for n in range(3):
        subscribe(client, em, incident="gulf-flood", email=f"reader{n}@example.org")
    renders = []
    real_pdf = documents.pdf

    def counted(session, brief):  # the real renderer, counted
        renders.append(brief.number)
        return real_pdf(session, brief)

    monkeypatch.setattr(documents, "pdf", counted)
    assert client.post(f"{BASE}/briefs", headers=em).status_code == 201
    assert renders == [1]  # once for three subscribers

    def again(session):
        brief = session.exec(select(Brief).where(Brief.incident_slug == "gulf-flood")).one()
        return distribution.distribute(session, brief=brief, incident=session.get(Incident, "gulf-flood"),
                                       now=datetime.now(timezone.utc), public_url=PUBLIC_URL)

    assert run_in_transaction(engine, again) == 0 and renders == [1]


def test_the_unsubscribe_link_works_once(client, make_token, smtp_server, make_deliverer, clock):
    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    subscribe(client, em, incident="gulf-flood", email="duty@example.org")
    client.post(f"{BASE}/briefs", headers=em)
    deliver(make_deliverer, clock, smtp_server.port)
    [(_sender, _to, mail)] = smtp_server.messages
    path = re.search(rf"{PUBLIC_URL}(/briefs/unsubscribe/\S+)", text_of(mail)).group(1)

    spanish = client.get(path, headers={"accept-language": "es"})
    assert spanish.status_code == 200 and "Cancelar la suscripción" in spanish.text
    page = client.get(path)
    assert page.status_code == 200 and "Unsubscribe" in page.text
    done = client.post(path, data={"csrf_token": csrf_from(page.text)})
    assert done.status_code == 200 and "no more situation briefs" in done.text
    assert client.post(path, data={"csrf_token": csrf_from(page.text)}).status_code == 404
    assert client.get(path).status_code == 404
    assert client.get("/briefs/unsubscribe/not-a-real-token-at-all").status_code == 404
    assert client.get("/briefs/unsubscribe/x").status_code == 404
    assert client.get(SUBSCRIPTIONS, headers=em).json()["subscriptions"] == []
    client.post(f"{BASE}/briefs", headers=em)
    assert deliver(make_deliverer, clock, smtp_server.port).total("sent") == 0


def test_a_partner_reads_only_the_briefs_it_subscribes_to(client, make_token):
    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    assert client.post(f"{BASE}/briefs", headers=em).status_code == 201
    partner = bearer(make_token("partner", name="partner"))
    other = bearer(make_token("partner", name="other partner"))

    def answers():
        return (client.get(f"{BASE}/briefs", headers=partner).status_code,
                client.get(f"{BASE}/briefs/1.json", headers=partner).status_code,
                client.get(f"{BASE}/narrative", headers=partner).status_code)

    assert answers() == (404, 404, 404)
    assert client.post(f"{BASE}/briefs", headers=partner).status_code == 404
    elsewhere = subscribe(client, partner, counties=["06037"])
    assert answers() == (404, 404, 404)
    area = subscribe(client, partner, counties=["48201", "06037"])
    assert answers() == (200, 200, 200)
    assert client.post(f"{BASE}/briefs", headers=partner).status_code == 201
    # A partner sees and ends only its own subscriptions; managers see every one.
    assert client.get(SUBSCRIPTIONS, headers=other).json()["total"] == 0
    assert client.delete(f"{SUBSCRIPTIONS}/{area['id']}", headers=other).status_code == 404
    assert client.get(SUBSCRIPTIONS, headers=em).json()["total"] == 2
    mine = client.get(SUBSCRIPTIONS, headers=partner).json()["subscriptions"]
    assert {(s["subscriber"], tuple(s["counties"])) for s in mine} == {("token", ("06037",)),
                                                                       ("token", ("06037", "48201"))}
    assert client.delete(f"{SUBSCRIPTIONS}/{area['id']}", headers=partner).status_code == 204
    assert answers() == (404, 404, 404)
    assert client.delete(f"{SUBSCRIPTIONS}/{elsewhere['id']}", headers=em).status_code == 204
    assert client.delete(f"{SUBSCRIPTIONS}/{elsewhere['id']}", headers=em).status_code == 404
    for role in ("supervisor", "call_taker", "clearinghouse", "phone_system"):
        assert client.get(SUBSCRIPTIONS, headers=bearer(make_token(role, name=role))).status_code == 403


def test_the_delivery_log_follows_the_outbox(client, make_token, smtp_server, make_deliverer, clock):
    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    subscribe(client, em, incident="gulf-flood", email="first@example.org")
    second = subscribe(client, em, incident="gulf-flood", email="second@example.org")
    client.post(f"{BASE}/briefs", headers=em)
    log_path = f"{BASE}/briefs/1/deliveries"

    def states():
        answer = client.get(log_path, headers=em)
        assert answer.status_code == 200, answer.text
        return {d["recipient"]: (d["state"], d["attempts"]) for d in answer.json()["deliveries"]}

    assert states() == {"first@example.org": ("queued", 0), "second@example.org": ("queued", 0)}
    deliver(make_deliverer, clock, free_port())  # no server there
    assert states() == {"first@example.org": ("failed", 1), "second@example.org": ("failed", 1)}
    assert all(d["last_error"] for d in client.get(log_path, headers=em).json()["deliveries"])
    deliver(make_deliverer, clock, smtp_server.port)
    assert states() == {"first@example.org": ("sent", 1), "second@example.org": ("sent", 1)}
    client.delete(f"{SUBSCRIPTIONS}/{second['id']}", headers=em)
    client.post(f"{BASE}/briefs", headers=em)
    deliver(make_deliverer, clock, free_port(), max_attempts=1)
    log = client.get(f"{BASE}/briefs/2/deliveries", headers=em).json()["deliveries"]
    assert [(d["recipient"], d["state"]) for d in log] == [("first@example.org", "dead")]
    ended = client.get(log_path, headers=em).json()["deliveries"]
    assert {d["recipient"]: d["subscription_id"] is None for d in ended} == {"first@example.org": False,
                                                                              "second@example.org": True}
    assert client.get(f"{BASE}/briefs/9/deliveries", headers=em).status_code == 404
    assert client.get(log_path, headers=bearer(make_token("partner", name="p"))).status_code == 403


def test_bad_subscriptions_get_a_clear_4xx(client, make_token, make_user):
    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    caller = make_user("call_taker", email="ct@example.org")
    partner = bearer(make_token("partner", name="partner"))
    cases = [
        ({"incident": "gulf-flood", "email": "not an address"}, 422, "email"),
        ({"counties": ["99999"], "email": "a@example.org"}, 422, "counties"),
        ({"counties": ["4820"], "email": "a@example.org"}, 422, "counties"),
        ({"counties": ["48201"] * 3301, "email": "a@example.org"}, 422, "counties"),
        ({"counties": [], "email": "a@example.org"}, 422, "counties"),
        ({"incident": "gulf-flood", "counties": ["48201"], "email": "a@example.org"}, 422, "body"),
        ({"email": "a@example.org"}, 422, "body"),
        ({"incident": "gulf-flood"}, 422, "email"),
        ({"incident": "gulf-flood", "user_id": caller.id}, 422, "user_id"),
        ({"incident": "gulf-flood", "email": "a@example.org", "language": "fr"}, 422, "language"),
        ({"incident": "gulf-flood", "email": "a@example.org", "color": "red"}, 422, "color"),
        ({"incident": "Gulf Flood!", "email": "a@example.org"}, 422, "incident"),
    ]
    for body, status, field in cases:
        answer = client.post(SUBSCRIPTIONS, json=body, headers=em)
        assert answer.status_code == status, (body, answer.text)
        assert answer.json()["error"]["message"].strip() and answer.json()["error"]["fields"][field].strip(), body
    assert client.post(SUBSCRIPTIONS, json={"incident": "nowhere", "email": "a@example.org"},
                       headers=em).status_code == 404
    malformed = client.post(SUBSCRIPTIONS, content=b'{"incident": ', headers={**em, "content-type": "application/json"})
    assert malformed.status_code == 400 and malformed.json()["error"]["message"].strip()
    bad_email_for_partner = client.post(SUBSCRIPTIONS, json={"incident": "gulf-flood", "email": "x@example.org"},
                                        headers=partner)
    assert bad_email_for_partner.status_code == 422
    subscribe(client, em, incident="gulf-flood", email="a@example.org")
    again = client.post(SUBSCRIPTIONS, json={"incident": "gulf-flood", "email": " A@Example.org"}, headers=em)
    assert again.status_code == 409 and again.json()["error"]["message"].strip()
    assert client.get(f"{SUBSCRIPTIONS}?page_size=500", headers=em).status_code == 422


def test_an_inactive_partner_user_is_sent_nothing(client, make_token, make_user, engine):
    from surge.accounts.models import User
    from surge.kernel.db import unit_of_work

    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    partner = make_user("partner", email="gone@partner.example.org")
    subscribe(client, em, incident="gulf-flood", user_id=partner.id)
    subscribe(client, em, incident="gulf-flood", email="duty@example.org")
    with unit_of_work(engine) as session:
        session.get(User, partner.id).is_active = False
    client.post(f"{BASE}/briefs", headers=em)
    log = client.get(f"{BASE}/briefs/1/deliveries", headers=em).json()["deliveries"]
    assert [d["recipient"] for d in log] == ["duty@example.org"]
    # Nor can a manager subscribe an inactive partner anew.
    again = client.post(SUBSCRIPTIONS, json={"counties": ["48201"], "user_id": partner.id}, headers=em)
    assert again.status_code == 422 and again.json()["error"]["fields"]["user_id"].strip()


def test_a_brief_is_sent_after_the_transaction_that_made_it_and_a_crash_between_is_made_good(client, make_token,
                                                                                              engine):
    from sqlmodel import select

    from surge.access.principal import system
    from surge.briefs import production
    from surge.briefs.models import Brief
    from surge.kernel.db import run_in_transaction, unit_of_work
    from surge.outbox.models import OutboxMessage

    em = bearer(make_token("emergency_manager"))
    make_incident(client, em)
    subscribe(client, em, incident="gulf-flood", email="duty@example.org")
    later = just_after_first_period(engine)
    [due] = run_in_transaction(engine, production.due, until=later)
    # Produced, then the process died before sending: the brief stands, marked unsent, and nothing is queued.
    run_in_transaction(engine, production.produce_scheduled, schedule_id=due.schedule_id, period=due.period,
                       now=later, thresholds=THRESHOLDS, actor=system("briefs"))

    def state():
        with unit_of_work(engine) as session:
            brief = session.exec(select(Brief).where(Brief.incident_slug == "gulf-flood")).one()
            queued = session.exec(select(OutboxMessage.recipient).where(OutboxMessage.topic == "brief.produced")).all()
            return brief.distributed_at, queued

    assert state() == (None, [])
    # A run a minute later leaves it to whoever may still be sending it; one five minutes later sends it, once.
    assert runs.produce_due(engine, now=later + timedelta(minutes=1), until=later, thresholds=THRESHOLDS) == []
    assert state() == (None, [])
    # A day on, a brief never sent is given up: news that old is no longer news.
    runs.produce_due(engine, now=later + timedelta(days=1, minutes=1), until=later, thresholds=THRESHOLDS)
    assert state() == (None, [])
    sent_at = later + timedelta(minutes=6)
    runs.produce_due(engine, now=sent_at, until=later, thresholds=THRESHOLDS)
    runs.produce_due(engine, now=sent_at + timedelta(minutes=1), until=later, thresholds=THRESHOLDS)
    distributed, queued = state()
    assert distributed == sent_at and queued == ["duty@example.org"]
