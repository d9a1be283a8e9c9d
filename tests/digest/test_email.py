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


def self_signed_certificate(directory):
    """A certificate for 127.0.0.1 and its key, written as PEM files (the client trusts it through SSL_CERT_FILE)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    certificate_path, key_path = directory / "cert.pem", directory / "key.pem"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return certificate_path, key_path


def test_starttls_and_login(archive_url, tmp_path, monkeypatch):
    import ssl

    from aiosmtpd.smtp import AuthResult

    certificate, key = self_signed_certificate(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(certificate, key)
    logins = []

    def authenticate(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=tls, require_starttls=True,
                            authenticator=authenticate, auth_required=True)
    controller.start()
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
        monkeypatch.setenv("OCOP_SMTP_URL",
                           f"smtp://digest%40ocop.example:p%40ss%3Aword@127.0.0.1:{controller.port}?starttls=true")
        assert main(["digest", "--db", archive_url, "--week", WEEK, "--email", "a@example.org"]) == 0
    finally:
        controller.stop()
    assert len(inbox.envelopes) == 1 and inbox.envelopes[0].mail_from == "digest@ocop.example"
    assert logins == [(b"digest@ocop.example", b"p@ss:word")]  # percent-decoded from the URL
