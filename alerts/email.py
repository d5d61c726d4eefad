"""Email alerts: one multipart/alternative message (plain text and HTML) sent through the SMTP
relay the settings name.

The Message-ID is `<{message.key}@policy-radar>` on every retry, so a receiver can drop a
second copy; List-Unsubscribe and List-Unsubscribe-Post offer one-click unsubscribing (RFC 8058).
A failure raises DeliveryError: permanent when the relay refuses the recipient or the message
with a 5xx code, temporary for 4xx codes, a relay that cannot be reached or does not answer, and
a relay the settings cannot use (no host, a refused login, no STARTTLS): fixing the settings
fixes those. Errors name the relay's host:port and its answer, never the password."""

from __future__ import annotations

import email.errors
import email.utils
import re
import smtplib
import ssl
from email.message import EmailMessage

from alerts import rendering
from alerts.records import DeliveryError, Message
from radar.settings import Settings

TIMEOUT = 30.0  # seconds for each of the relay's answers
# A Message-ID's left part is a dot-atom: anything else in a key becomes "-".
_NOT_ATOM = re.compile(r"[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]")


def build_email(message: Message, settings: Settings) -> EmailMessage:
    """The email for `message`, addressed to its channel's address, with its headers."""
    kind, _, address = message.channel.partition(":")
    if kind != "email" or not address:
        raise DeliveryError(f"Channel {message.channel!r} is not an email channel.", permanent=True)
    mail = EmailMessage()
    mail["From"] = settings.smtp_from
    try:
        mail["To"] = address
        recipients = [each.addr_spec for each in mail["To"].addresses]
    except (ValueError, TypeError, AttributeError, email.errors.MessageError):  # the parser's ways to fail on "a@[b.c"
        recipients = []
    if recipients != [address]:  # "a,b@c.d" would be two recipients, "a(b@c.d" the local user a
        raise DeliveryError(f"{address!r} is not an email address the alerts can send to.", permanent=True)
    mail["Subject"] = rendering.subject(message)
    mail["Date"] = email.utils.format_datetime(message.created_at)
    mail["Message-ID"] = f"<{_NOT_ATOM.sub('-', message.key).strip('.') or 'alert'}@policy-radar>"
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to alerts
    unsubscribe = rendering.web_url(message.unsubscribe_link)
    if unsubscribe:
        mail["List-Unsubscribe"] = f"<{unsubscribe}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(rendering.email_text(message))
    mail.add_alternative(rendering.email_html(message), subtype="html")
    return mail


def send_email(
    message: Message, settings: Settings, *, timeout: float = TIMEOUT, tls_context: ssl.SSLContext | None = None
) -> None:
    """Send `message` through settings.smtp_host (STARTTLS when smtp_starttls, with
    `tls_context` or the system's trusted certificates; a login when smtp_user is set), or
    raise DeliveryError."""
    mail = build_email(message, settings)
    if not settings.smtp_host:
        raise DeliveryError("Email is not set up: set RADAR_SMTP_HOST (and RADAR_SMTP_PORT) to an SMTP relay.")
    relay = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        _send(mail, settings, timeout, tls_context)
    except OSError as error:  # smtplib's errors, sockets' and TLS's are all OSErrors
        reason, permanent = _failure(error, relay, settings, timeout)
        # A relay may quote what it was sent back in its answer.
        raise DeliveryError(_hide(reason, settings.smtp_password), permanent) from None


def _failure(error: OSError, relay: str, settings: Settings, timeout: float) -> tuple[str, bool]:
    """What went wrong, in words, and whether trying again cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        (address, (code, reason)), *_ = error.recipients.items()
        return f"The SMTP relay {relay} refused {address}: {code} {_text(reason)}", code >= 500
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return (
            f"The SMTP relay {relay} refused the login of {settings.smtp_user}: {error.smtp_code} "
            f"{_text(error.smtp_error)}; check RADAR_SMTP_USER and RADAR_SMTP_PASSWORD.",
            False,
        )
    if isinstance(error, smtplib.SMTPSenderRefused):
        return (
            f"The SMTP relay {relay} refused the sender {error.sender}: {error.smtp_code} "
            f"{_text(error.smtp_error)}; check RADAR_SMTP_FROM.",
            False,
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"The SMTP relay {relay} answered {error.smtp_code} {_text(error.smtp_error)}", error.smtp_code >= 500
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return f"The SMTP relay {relay} cannot do what the settings ask: {error}", False
    if isinstance(error, smtplib.SMTPServerDisconnected) and isinstance(error.__context__, TimeoutError):
        return f"The SMTP relay {relay} did not answer within {timeout:g} s.", False  # smtplib's read timed out
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"The SMTP relay {relay} hung up: {error or 'no reason given'}", False
    if isinstance(error, TimeoutError):
        return f"The SMTP relay {relay} did not answer within {timeout:g} s.", False
    if isinstance(error, ssl.SSLError):
        return f"STARTTLS with the SMTP relay {relay} failed: {error.reason or error}", False
    return f"Could not reach the SMTP relay {relay}: {error.strerror or error}", False


def _send(mail: EmailMessage, settings: Settings, timeout: float, tls_context: ssl.SSLContext | None) -> None:
    assert settings.smtp_host is not None
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=tls_context or ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(mail)


def _text(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else reason


def _hide(text: str, secret: str | None) -> str:
    return text.replace(secret, "********") if secret else text
