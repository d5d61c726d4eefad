"""Email alerts sent to a real SMTP server on loopback: what arrives, and how each failure of the
relay becomes a permanent or temporary DeliveryError that names no secret."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from alerts import channels
from alerts.email import send_email
from alerts.records import AlertItem, DeliveryError, Message
from tests.alerts.receivers import SmtpServer, free_port, self_signed_tls

AlertFactory = Callable[..., AlertItem]
MessageFactory = Callable[..., Message]
PASSWORD = "hunter2-Zq9!x"


def test_the_email_arrives_with_both_parts_and_its_headers(
    smtp_server: SmtpServer, make_message: MessageFactory
) -> None:
    message = make_message(key="sub-7-alerts-1")
    channels.send(message, smtp_server.settings(smtp_from="Radar <radar@example.org>"))

    (received,) = smtp_server.wait_for(1)
    assert smtp_server.envelopes == [("radar@example.org", ["lead@example.org"])]
    assert received["Message-ID"] == "<sub-7-alerts-1@policy-radar>"
    assert received["From"] == "Radar <radar@example.org>"
    assert received["To"] == "lead@example.org"
    assert received["Subject"].startswith("[AU age checks] New: eSafety sets out")
    assert received["List-Unsubscribe"] == "<https://radar.example.org/unsubscribe/7/k3y>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received.get_content_type() == "multipart/alternative"
    text = received.get_body(("plain",))
    html = received.get_body(("html",))
    assert text is not None and html is not None
    assert "https://radar.example.org/items/item-1" in text.get_content()
    assert '<a href="https://radar.example.org/items/item-1">' in html.get_content()
    assert "https://radar.example.org/unsubscribe/7/k3y" in text.get_content()


def test_a_retry_keeps_the_message_id(smtp_server: SmtpServer, make_message: MessageFactory) -> None:
    message = make_message(key="sub-7-alerts-1-2")
    send_email(message, smtp_server.settings())
    send_email(message, smtp_server.settings())
    first, second = smtp_server.wait_for(2)
    assert first["Message-ID"] == second["Message-ID"] == "<sub-7-alerts-1-2@policy-radar>"


def test_a_key_that_is_no_message_id_is_made_one(smtp_server: SmtpServer, make_message: MessageFactory) -> None:
    send_email(make_message(key="sub 7, alerts <1>"), smtp_server.settings())
    assert smtp_server.wait_for(1)[0]["Message-ID"] == "<sub-7--alerts--1-@policy-radar>"


def test_a_digest_arrives_grouped(
    smtp_server: SmtpServer, make_alert: AlertFactory, make_message: MessageFactory
) -> None:
    message = make_message(
        make_alert(alert_id=1, title="Scam ads rules", harm_areas=("scams",), jurisdictions=("SG",)),
        make_alert(alert_id=2, title="Scam calls", harm_areas=("scams",), jurisdictions=("AU",)),
        make_alert(alert_id=3, title="Age checks", harm_areas=("child_safety", "scams"), jurisdictions=("NZ",)),
        subscription_name="Weekly watch",
    )
    send_email(message, smtp_server.settings())
    (received,) = smtp_server.wait_for(1)
    assert received["Subject"] == "[Weekly watch] 3 alerts (daily digest)"
    for part in ("plain", "html"):
        body = received.get_body((part,))
        assert body is not None
        content = body.get_content()
        order = ["Child safety", "NZ", "Age checks", "Scams", "AU", "Scam calls", "SG", "Scam ads rules"]
        positions = [content.index(word, content.index("alerts (daily digest)")) for word in order]
        assert positions == sorted(positions), part


def test_a_hostile_title_arrives_escaped(
    smtp_server: SmtpServer, make_alert: AlertFactory, make_message: MessageFactory
) -> None:
    title = "<script>alert(1)</script>\r\nBcc: victim@example.org"
    message = make_message(make_alert(title=title, source_url="javascript:alert(1)", snippet="<b>bold</b>"))
    send_email(message, smtp_server.settings())
    (received,) = smtp_server.wait_for(1)
    assert received["Bcc"] is None  # the newline in the title could not add a header
    # (Python folds this subject onto its own line, so it reads back with a leading space.)
    assert received["Subject"].strip() == "[AU age checks] New: <script>alert(1)</script> Bcc: victim@example.org"
    html = received.get_body(("html",))
    assert html is not None
    content = html.get_content()
    assert "<script>" not in content and "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<b>bold</b>" not in content and "&lt;b&gt;bold&lt;/b&gt;" in content
    assert "javascript:" not in content


@pytest.mark.parametrize(("code", "stage", "permanent"), [(550, "data", True), (554, "rcpt", True)])
def test_a_5xx_answer_is_permanent(
    smtp_server: SmtpServer, make_message: MessageFactory, code: int, stage: str, permanent: bool
) -> None:
    smtp_server.fail_next(code, stage=stage, text="5.1.1 mailbox unavailable")
    with pytest.raises(DeliveryError) as failure:
        send_email(make_message(), smtp_server.settings())
    assert failure.value.permanent is permanent
    assert f"127.0.0.1:{smtp_server.port}" in str(failure.value)
    assert f"{code} 5.1.1 mailbox unavailable" in str(failure.value)
    assert smtp_server.messages == []


@pytest.mark.parametrize("stage", ["data", "rcpt"])
def test_a_4xx_answer_is_temporary_and_a_retry_gets_through(
    smtp_server: SmtpServer, make_message: MessageFactory, stage: str
) -> None:
    smtp_server.fail_next(451, stage=stage)
    with pytest.raises(DeliveryError) as failure:
        send_email(make_message(), smtp_server.settings())
    assert failure.value.permanent is False
    assert "451" in str(failure.value)
    send_email(make_message(), smtp_server.settings())
    assert len(smtp_server.wait_for(1)) == 1


def test_a_relay_that_is_down_is_temporary(make_message: MessageFactory, smtp_server: SmtpServer) -> None:
    settings = dataclasses.replace(smtp_server.settings(), smtp_port=free_port())  # nothing listens there
    with pytest.raises(DeliveryError) as failure:
        send_email(make_message(), settings)
    assert failure.value.permanent is False
    assert str(failure.value) == f"Could not reach the SMTP relay 127.0.0.1:{settings.smtp_port}: Connection refused"


def test_no_smtp_host_says_what_to_set(make_message: MessageFactory, smtp_server: SmtpServer) -> None:
    with pytest.raises(DeliveryError) as failure:
        channels.send(make_message(), smtp_server.settings(smtp_host=None))
    assert failure.value.permanent is False
    assert "RADAR_SMTP_HOST" in str(failure.value)


def test_a_relay_that_does_not_answer_times_out(smtp_server: SmtpServer, make_message: MessageFactory) -> None:
    hold = smtp_server.hold_next()
    with pytest.raises(DeliveryError) as failure:
        send_email(make_message(), smtp_server.settings(), timeout=0.5)
    assert hold.arrived.is_set()
    assert failure.value.permanent is False
    assert str(failure.value) == f"The SMTP relay 127.0.0.1:{smtp_server.port} did not answer within 0.5 s."
    hold.release()
    send_email(make_message(), smtp_server.settings(), timeout=5)  # the retry, to a relay answering again
    assert smtp_server.wait_for(1)[-1]["Message-ID"] == "<sub-7-alerts-1@policy-radar>"


def _authenticator(logins: list[str]) -> Callable[..., AuthResult]:
    def authenticate(server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: object) -> AuthResult:
        assert isinstance(data, LoginPassword)
        logins.append(data.login.decode())
        if data.password.decode() == PASSWORD:
            return AuthResult(success=True)
        # A careless relay quoting the password back: the error must still not show it.
        return AuthResult(success=False, handled=False, message=f"535 5.7.8 bad password {data.password.decode()}")

    return authenticate


@pytest.fixture
def smtp_with_login() -> Iterator[tuple[SmtpServer, list[str]]]:
    logins: list[str] = []
    server = SmtpServer(authenticator=_authenticator(logins))
    yield server, logins
    server.close()


def test_a_login_is_used_when_a_user_is_set(
    smtp_with_login: tuple[SmtpServer, list[str]], make_message: MessageFactory
) -> None:
    server, logins = smtp_with_login
    send_email(make_message(), server.settings(smtp_user="radar", smtp_password=PASSWORD))
    assert logins == ["radar"]
    assert len(server.wait_for(1)) == 1


def test_a_failed_login_never_shows_the_password(
    smtp_with_login: tuple[SmtpServer, list[str]], make_message: MessageFactory
) -> None:
    server, logins = smtp_with_login
    wrong = "wr0ng-Secret-Pa55"
    with pytest.raises(DeliveryError) as failure:
        send_email(make_message(), server.settings(smtp_user="radar", smtp_password=wrong))
    assert "radar" in logins
    error = str(failure.value)
    assert wrong not in error and wrong not in repr(failure.value)
    assert failure.value.__cause__ is None and failure.value.__suppress_context__
    assert f"127.0.0.1:{server.port}" in error and "535" in error and "RADAR_SMTP_PASSWORD" in error
    assert failure.value.permanent is False  # the settings are wrong, not the message: fixing them fixes it
    assert server.messages == []


def test_starttls_when_the_settings_ask(tmp_path: Path, make_message: MessageFactory) -> None:
    pytest.importorskip("cryptography")
    server_tls, client_tls = self_signed_tls(tmp_path)
    server = SmtpServer(tls_context=server_tls)
    try:
        send_email(make_message(), server.settings(smtp_starttls=True), tls_context=client_tls)
        (received,) = server.wait_for(1)
        assert received["Message-ID"] == "<sub-7-alerts-1@policy-radar>"
        assert server.encrypted == [True]
        # A client that does not trust the certificate refuses to go on, and says so.
        with pytest.raises(DeliveryError) as failure:
            send_email(make_message(), server.settings(smtp_starttls=True))
        assert failure.value.permanent is False
        assert "STARTTLS" in str(failure.value) and "CERTIFICATE_VERIFY_FAILED" in str(failure.value)
        assert len(server.messages) == 1
    finally:
        server.close()


def test_starttls_asked_of_a_relay_without_it(smtp_server: SmtpServer, make_message: MessageFactory) -> None:
    with pytest.raises(DeliveryError) as failure:
        send_email(make_message(), smtp_server.settings(smtp_starttls=True))
    assert failure.value.permanent is False
    assert "STARTTLS" in str(failure.value)


def test_sends_from_threads_do_not_mix(smtp_server: SmtpServer, make_message: MessageFactory) -> None:
    errors: list[BaseException] = []

    def send(number: int) -> None:
        try:
            send_email(make_message(key=f"k-{number}"), smtp_server.settings())
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=send, args=(number,)) for number in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    ids = sorted(message["Message-ID"] for message in smtp_server.wait_for(5))
    assert smtp_server.encrypted == [False] * 5
    assert ids == [f"<k-{number}@policy-radar>" for number in range(5)]
