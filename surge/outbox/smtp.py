"""E-mail by SMTP: the message built with the standard library, one connection per delivery run."""

from __future__ import annotations

import base64
import binascii
import hashlib
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate


class EmailFailed(Exception):
    """The message was not accepted; the text is safe to store (no password in it)."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    security: str = "starttls"  # none | starttls | tls
    username: str = ""
    password: str = ""
    timeout: float = 10

    @classmethod
    def from_settings(cls, settings) -> "SmtpConfig":
        return cls(host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_from,
                   security=settings.smtp_security, username=settings.smtp_username,
                   password=settings.smtp_password.get_secret_value(), timeout=settings.smtp_timeout_s)


def build_message(*, key: str, sender: str, recipient: str, subject: str, body: dict) -> EmailMessage:
    """Plain text from body["text"], and any body["attachments"] ({filename, content_type, base64})."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    # Derived from the outbox key, so a retried message carries the same Message-ID and mail clients
    # that saw the first copy can drop the second.
    domain = sender.rpartition("@")[2] or "surge.invalid"
    message["Message-ID"] = f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"
    message.set_content(str(body.get("text", "")))
    for attachment in body.get("attachments") or []:
        maintype, _, subtype = str(attachment.get("content_type") or "application/octet-stream").partition("/")
        try:
            data = base64.b64decode(attachment.get("base64") or "", validate=True)
        except (binascii.Error, ValueError):
            raise EmailFailed(f"attachment {attachment.get('filename')!r} is not valid base64") from None
        message.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream",
                               filename=str(attachment.get("filename") or "attachment"))
    return message


class Mailer:
    """Opens the SMTP connection on the first message and keeps it for the rest of the run."""

    def __init__(self, config: SmtpConfig):
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "Mailer":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        try:
            if c.security == "tls":
                smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
                if c.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if c.username:
                smtp.login(c.username, c.password)
        except (OSError, smtplib.SMTPException) as exc:
            raise EmailFailed(f"cannot reach SMTP server {c.host}:{c.port}: {_describe(exc)}") from None
        return smtp

    def send(self, message: EmailMessage) -> None:
        for retry in (False, True):
            if self._smtp is None:
                self._smtp = self._connect()
            try:
                refused = self._smtp.send_message(message)
            except smtplib.SMTPServerDisconnected as exc:
                # The server closed a connection kept from an earlier message: open a new one once.
                self._smtp = None
                if retry:
                    raise EmailFailed(_describe(exc)) from None
                continue
            except (OSError, smtplib.SMTPException) as exc:
                if not isinstance(exc, (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)):
                    self.close()
                raise EmailFailed(_describe(exc)) from None
            if refused:
                raise EmailFailed(f"recipient refused: {refused}")
            return

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"SMTP {exc.smtp_code}: {text}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return f"recipient refused: {list(exc.recipients)}"
    return f"{type(exc).__name__}: {exc}"
