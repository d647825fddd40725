"""E-mail reaches a real local SMTP server (aiosmtpd); with no SMTP host, e-mail waits untouched."""

import base64

from surge.outbox.smtp import SmtpConfig

from .conftest import START, enqueue_email, message

PDF = b"%PDF-1.7 a tiny brief"


def config(port: int) -> SmtpConfig:
    return SmtpConfig(host="127.0.0.1", port=port, sender="surge@211.example.org", security="none", timeout=5)


def test_an_email_arrives_with_its_headers_body_and_attachment(engine, smtp_server, make_deliverer):
    key = enqueue_email(engine, to="coordinator@example.org", now=START, body={
        "text": "Disaster mode is on.",
        "attachments": [{"filename": "brief.pdf", "content_type": "application/pdf",
                         "base64": base64.b64encode(PDF).decode()}]})
    report = make_deliverer(smtp=config(smtp_server.port)).run_once()
    assert report.total("sent") == 1
    [(mail_from, rcpt_tos, mail)] = smtp_server.messages
    assert (mail_from, rcpt_tos) == ("surge@211.example.org", ["coordinator@example.org"])
    assert mail["From"] == "surge@211.example.org" and mail["To"] == "coordinator@example.org"
    assert mail["Subject"] == "Hurricane Zeta activated"
    assert mail["Message-ID"].endswith("@211.example.org>")
    assert mail.get_body(preferencelist=("plain",)).get_content().strip() == "Disaster mode is on."
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "brief.pdf" and attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF
    assert message(engine, key).state == "sent"


def test_one_connection_serves_the_whole_run(engine, smtp_server, make_deliverer):
    for n in range(5):
        enqueue_email(engine, to=f"person{n}@example.org", now=START, key=f"evt:mail:{n}")
    assert make_deliverer(smtp=config(smtp_server.port)).run_once().total("sent") == 5
    assert smtp_server.greetings == 1 and len(smtp_server.messages) == 5


def test_with_no_smtp_host_email_rows_stay_untouched(engine, receiver, webhook_clearinghouse, make_deliverer):
    from .conftest import enqueue_webhooks

    key = enqueue_email(engine, to="coordinator@example.org", now=START)
    enqueue_webhooks(engine, slug=webhook_clearinghouse, url=receiver.url, count=1, now=START)
    report = make_deliverer(smtp=None).run_once()
    assert report.total("sent") == 1 and len(receiver.received) == 1  # the webhook still goes
    stored = message(engine, key)
    assert (stored.state, stored.attempts, stored.last_error, stored.next_attempt_at) == ("pending", 0, None, START)


def test_an_smtp_server_that_is_down_fails_the_attempt(engine, make_deliverer):
    from .conftest import free_port

    key = enqueue_email(engine, to="coordinator@example.org", now=START)
    assert make_deliverer(smtp=config(free_port())).run_once().total("failed") == 1
    stored = message(engine, key)
    assert stored.attempts == 1 and stored.last_error.startswith("cannot reach SMTP server 127.0.0.1")
