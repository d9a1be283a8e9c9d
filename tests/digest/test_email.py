"""`ocop digest --email`: the digest goes through the SMTP server of OCOP_SMTP_URL (a local aiosmtpd in the test)."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from ocop.cli import main
from ocop.digest.mail import SmtpSettings
from ocop.errors import BadInput
from tests.digest.sample_week import WEEK


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


def test_digest_is_mailed_as_text_with_the_html_page(archive_url, smtp_server, monkeypatch, capsys):
    port, inbox = smtp_server
    monkeypatch.setenv("OCOP_SMTP_URL", f"smtp://127.0.0.1:{port}")
    monkeypatch.setenv("OCOP_SMTP_FROM", "digest@ocop.example")
    code = main(["digest", "--db", archive_url, "--week", WEEK, "--format", "html", "--lang", "en",
                 "--email", "analyst@example.org", "--email", "official@example.org"])
    assert code == 0, capsys.readouterr().err
    assert capsys.readouterr().out == ""  # mailed, not printed
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "digest@ocop.example"
    assert envelope.rcpt_tos == ["analyst@example.org", "official@example.org"]
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert message["Subject"] == f"OCOP weekly digest {WEEK}"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "### Sóc Trăng (now part of Cần Thơ)" in text and "18,243" in text
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html


def test_json_digest_is_attached(archive_url, smtp_server, monkeypatch):
    port, inbox = smtp_server
    monkeypatch.setenv("OCOP_SMTP_URL", f"smtp://127.0.0.1:{port}")
    assert main(["digest", "--db", archive_url, "--week", WEEK, "--format", "json", "--email", "a@example.org"]) == 0
    message = email.message_from_bytes(inbox.envelopes[0].content, policy=policy.default)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"ocop-digest-{WEEK}.json"
    assert b'"schema": "ocop-digest/1"' in attachment.get_content()


def test_missing_smtp_url_is_bad_input(archive_url, monkeypatch, capsys):
    monkeypatch.delenv("OCOP_SMTP_URL", raising=False)
    assert main(["digest", "--db", archive_url, "--week", WEEK, "--email", "a@example.org"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "OCOP_SMTP_URL" in err


def test_unreachable_smtp_server_is_failed_work(archive_url, monkeypatch, capsys):
    monkeypatch.setenv("OCOP_SMTP_URL", f"smtp://127.0.0.1:{free_port()}")
    assert main(["digest", "--db", archive_url, "--week", WEEK, "--email", "a@example.org"]) == 1
    assert "cannot send the digest" in capsys.readouterr().err


@pytest.mark.parametrize("url, expected", [
    ("smtp://user%40mail.example:p%40ss@mail.example:587?starttls=true",
     ("mail.example", 587, False, True, "user@mail.example", "p@ss")),
    ("smtps://mail.example", ("mail.example", 465, True, False, None, None)),
    ("smtp://127.0.0.1", ("127.0.0.1", 25, False, False, None, None)),
])
def test_smtp_url(url, expected):
    settings = SmtpSettings.from_url(url)
    assert (settings.host, settings.port, settings.implicit_tls, settings.starttls, settings.username,
            settings.password) == expected


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "smtp://mail.example:notaport", ""])
def test_bad_smtp_url(url):
    with pytest.raises(BadInput):
        SmtpSettings.from_url(url)
