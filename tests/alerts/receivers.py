"""Real receivers on loopback for the alert tests: an SMTP server (aiosmtpd) and a webhook
receiver (http.server), each in its own thread, keeping what they were sent and answering what a
test tells them to.

SmtpServer: `host`, `port`, `settings(**changes)` (Settings pointing at it), `messages` (each an
email.message.EmailMessage, parsed with the default policy), `envelopes` ((MAIL FROM, RCPT TOs)
of each), `encrypted` (whether each came over TLS), `fail_next(code, times=1, stage="data")`
(answer `code` at RCPT or DATA), `hold_next()` (keep the next message's DATA unanswered until
the returned Hold is released), `wait_for(count)`, `close()`. STARTTLS (`tls_context=`, see
`self_signed_tls`) and logins (`authenticator=`) are set up with its constructor.

WebhookReceiver: `url`, `requests` (each a Received: path, headers, body as JSON or None, raw),
`answer(*statuses, body="")` (the next answers, in order; then 200), `hold_next()`,
`wait_for(count)`, `close()`.

Both append what they receive before answering, so a synchronous send that returned has been
recorded; `wait_for` is for a send in another thread. Nothing here sleeps: waits are on events
with a deadline."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import email
import email.policy
import ipaddress
import json
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from radar.settings import Settings

DEADLINE = 10.0  # seconds any wait here gives up after


class Hold:
    """One held message or request: `arrived` is set when it is in, `release()` lets it be
    answered. `after` more messages pass unheld before it."""

    def __init__(self, after: int = 0) -> None:
        self.after = after
        self.arrived = threading.Event()
        self.released = threading.Event()

    def release(self) -> None:
        self.released.set()


class _Inbox:
    """What arrived, with a condition to wait on and the holds still to come."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.holds: collections.deque[Hold] = collections.deque()
        self.all_holds: list[Hold] = []

    def hold_next(self, after: int = 0) -> Hold:
        hold = Hold(after)
        with self.changed:
            self.holds.append(hold)
            self.all_holds.append(hold)
        return hold

    def next_hold(self) -> Hold | None:
        with self.changed:
            if self.holds and self.holds[0].after:
                self.holds[0].after -= 1
                return None
            return self.holds.popleft() if self.holds else None

    def wait_until(self, done: Callable[[], bool], timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(done, timeout)

    def release_all(self) -> None:
        for hold in self.all_holds:
            hold.release()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    """An SMTP server on 127.0.0.1 at a free port. `tls_context`: offer STARTTLS with it;
    `authenticator`: an aiosmtpd authenticator, logins allowed without TLS."""

    def __init__(self, *, tls_context: ssl.SSLContext | None = None, authenticator: Any = None) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.encrypted: list[bool] = []  # whether each message came over TLS (after STARTTLS)
        self.failures: collections.deque[tuple[str, str]] = collections.deque()  # (stage, reply)
        self._inbox = _Inbox()
        self.host = "127.0.0.1"
        self.port = free_port()
        extra: dict[str, Any] = {}
        if authenticator is not None:
            extra.update(authenticator=authenticator, auth_require_tls=False)
        self._controller = Controller(
            _SmtpHandler(self), hostname=self.host, port=self.port, tls_context=tls_context, **extra
        )
        self._controller.start()

    def settings(self, **changes: Any) -> Settings:
        """Settings whose SMTP relay is this server, with `changes` (smtp_user=..., ...)."""
        fields: dict[str, Any] = {
            "data_dir": Path("data"),
            "database_url": None,
            "elasticsearch_url": None,
            "smtp_host": self.host,
            "smtp_port": self.port,
            **changes,
        }
        return Settings(**fields)

    def fail_next(self, code: int, times: int = 1, stage: str = "data", text: str = "") -> None:
        """Answer `code` (and `text`) to the next `times` messages, at RCPT or at DATA."""
        assert stage in ("rcpt", "data")
        reply = f"{code} {text or ('5.0.0 refused for the test' if code >= 500 else '4.0.0 try later, says the test')}"
        with self._inbox.changed:
            self.failures.extend([(stage, reply)] * times)

    def hold_next(self, after: int = 0) -> Hold:
        """Keep the next message's DATA (after `after` more) unanswered until the Hold is released."""
        return self._inbox.hold_next(after)

    def wait_for(self, count: int, timeout: float = DEADLINE) -> list[EmailMessage]:
        """The messages, once there are `count` of them (AssertionError after `timeout`)."""
        assert self._inbox.wait_until(lambda: len(self.messages) >= count, timeout), (
            f"{len(self.messages)} messages arrived, not {count}, within {timeout} s"
        )
        return list(self.messages)

    def close(self) -> None:
        self._inbox.release_all()
        self._controller.stop()

    def _failure(self, stage: str) -> str | None:
        with self._inbox.changed:
            if self.failures and self.failures[0][0] == stage:
                return self.failures.popleft()[1]
        return None


class _SmtpHandler:
    """aiosmtpd's handler hooks, reporting to the SmtpServer."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        failure = self.server._failure("rcpt")
        if failure:
            return failure
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        hold = self.server._inbox.next_hold()
        if hold is not None:
            hold.arrived.set()
            await asyncio.to_thread(hold.released.wait, DEADLINE)  # the server's loop keeps serving meanwhile
        failure = self.server._failure("data")
        if failure:
            return failure
        content = envelope.original_content or b""
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        inbox = self.server._inbox
        with inbox.changed:
            self.server.messages.append(parsed)
            self.server.envelopes.append((envelope.mail_from or "", list(envelope.rcpt_tos)))
            self.server.encrypted.append(session.ssl is not None)
            inbox.changed.notify_all()
        return "250 Message accepted for delivery"


def self_signed_tls(directory: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a new self-signed certificate for 127.0.0.1, and a client context
    that trusts it (and only it). Needs the `cryptography` package."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client


@dataclass(frozen=True)
class Received:
    path: str  # with the query
    headers: dict[str, str]  # names in lower case
    body: Any  # the JSON body parsed, or None if it was not JSON
    raw: bytes


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 at a free port keeping every POST and answering the statuses
    it is given (then 200)."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.answers: collections.deque[tuple[int, str]] = collections.deque()
        self._inbox = _Inbox()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                inbox = receiver._inbox
                with inbox.changed:
                    headers = {name.lower(): value for name, value in self.headers.items()}
                    receiver.requests.append(Received(self.path, headers, body, raw))
                    status, text = receiver.answers.popleft() if receiver.answers else (200, "ok")
                    inbox.changed.notify_all()
                hold = inbox.next_hold()
                if hold is not None:
                    hold.arrived.set()
                    hold.released.wait(DEADLINE)
                answer = text.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:  # the client gave up waiting, as a test may want it to
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, *statuses: int, body: str = "") -> None:
        """Answer the next requests with `statuses`, in order (each with `body`); then 200 "ok"."""
        with self._inbox.changed:
            self.answers.extend((status, body) for status in statuses)

    def hold_next(self) -> Hold:
        """Keep the next request unanswered until the Hold is released."""
        return self._inbox.hold_next()

    def wait_for(self, count: int, timeout: float = DEADLINE) -> list[Received]:
        """The requests, once there are `count` of them (AssertionError after `timeout`)."""
        assert self._inbox.wait_until(lambda: len(self.requests) >= count, timeout), (
            f"{len(self.requests)} requests arrived, not {count}, within {timeout} s"
        )
        return list(self.requests)

    def close(self) -> None:
        self._inbox.release_all()
        self.server.shutdown()
        self.server.server_close()
