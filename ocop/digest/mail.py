"""Sending a rendered digest by e-mail through the SMTP server named by OCOP_SMTP_URL."""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from ocop.digest.model import DigestFormat, Language
from ocop.errors import BadInput, WorkFailed

if TYPE_CHECKING:
    from ocop.digest.model import WeekDigest

SMTP_URL_ENV = "OCOP_SMTP_URL"
SMTP_FROM_ENV = "OCOP_SMTP_FROM"
DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
SMTP_TIMEOUT_SECONDS = 30
TRUE_WORDS = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send: smtp://user:pass@host:port?starttls=true, or smtps:// for TLS from the start."""

    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str | None
    password: str | None

    @classmethod
    def from_url(cls, url: str | None) -> SmtpSettings:
        if not url:
            raise BadInput(f"--email needs {SMTP_URL_ENV}, e.g. smtp://user:pass@mail.example.org:587?starttls=true")
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            raise BadInput(f"{SMTP_URL_ENV} must look like smtp://user:pass@host:port (or smtps://), got {parts.scheme}://…")
        try:
            port = parts.port or DEFAULT_PORTS[parts.scheme]
        except ValueError:
            raise BadInput(f"{SMTP_URL_ENV} has a bad port") from None
        options = {key.lower(): values[-1].lower() for key, values in parse_qs(parts.query).items()}
        return cls(host=parts.hostname, port=port, implicit_tls=parts.scheme == "smtps",
                   starttls=options.get("starttls", "") in TRUE_WORDS,
                   username=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password else None)

    @property
    def sender(self) -> str:
        if configured := os.environ.get(SMTP_FROM_ENV):
            return configured
        if self.username and "@" in self.username:
            return self.username
        return f"ocop@{socket.getfqdn()}"


def build_message(sender: str, recipients: list[str], subject: str, text: str, html: str | None = None,
                  attachment: tuple[str, bytes] | None = None) -> EmailMessage:
    """A plain-text digest, with the HTML page as an alternative and a JSON file attached when given."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, ", ".join(recipients), subject
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if attachment is not None:
        filename, data = attachment
        message.add_attachment(data, maintype="application", subtype="json", filename=filename)
    return message


def send(message: EmailMessage, settings: SmtpSettings) -> None:
    """Deliver a message; an unreachable or refusing server is WorkFailed."""
    try:
        if settings.implicit_tls:
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS)
        with client:
            if settings.starttls:
                client.starttls(context=ssl.create_default_context())
            if settings.username:
                client.login(settings.username, settings.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise WorkFailed(f"cannot send the digest through {settings.host}:{settings.port}: {error}") from None


def settings_from_environment() -> SmtpSettings:
    return SmtpSettings.from_url(os.environ.get(SMTP_URL_ENV))


def mail_digest(digest: WeekDigest, rendered: str, digest_format: DigestFormat, language: Language,
                recipients: list[str], settings: SmtpSettings) -> None:
    """Mail a rendered digest: the Markdown as text, with the HTML page as an alternative or the JSON as a file."""
    from ocop.digest.render import Wording, render

    markdown = rendered if digest_format is DigestFormat.md else render(digest, DigestFormat.md, language)
    subject = Wording(language.value).text("email_subject", week=str(digest.week))
    message = build_message(
        settings.sender, recipients, subject, markdown,
        html=rendered if digest_format is DigestFormat.html else None,
        attachment=(f"ocop-digest-{digest.week}.json", rendered.encode("utf-8"))
        if digest_format is DigestFormat.json else None)
    send(message, settings)
