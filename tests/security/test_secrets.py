"""Secrets stay where they belong: an API token is printed once, to standard output, by the
command that makes it, and never in its log (standard error, text or JSON, at any level);
/api/settings shows what the tracker runs on with every password hidden, in a URL's user part or
in its query (libpq reads ?password=). The alerts' own secrets (webhook paths, the SMTP password)
are kept out of their logs and errors by tests/alerts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.protection import HideUrlSecrets
from api.routes.settings import hidden_password
from tests.radar.test_cli import radar


@pytest.fixture
def users_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`radar` on a data directory of this test's, logging all it can: at DEBUG, as JSON."""
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RADAR_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("RADAR_LOG_FORMAT", "json")
    return tmp_path / "data"


@pytest.mark.usefixtures("users_dir")
def test_a_new_token_is_printed_once_and_never_logged() -> None:
    added = radar("users", "add", "lead", "--role", "admin")
    assert added.returncode == 0, added.stderr.decode()
    token = added.stdout.decode().strip()
    assert token.startswith("radar_") and added.stdout.decode().count(token) == 1
    assert token not in added.stderr.decode()
    assert "lead" in added.stderr.decode()  # the log says what happened, without the secret

    renewed = radar("users", "token", "lead")
    assert renewed.returncode == 0, renewed.stderr.decode()
    new_token = renewed.stdout.decode().strip()
    assert new_token.startswith("radar_") and new_token != token
    assert new_token not in renewed.stderr.decode()

    listed = radar("users", "list")
    assert token not in listed.stdout.decode() + listed.stderr.decode()
    assert new_token not in listed.stdout.decode() + listed.stderr.decode()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://radar:s3cret@db:5432/radar", "postgresql://radar:***@db:5432/radar"),
        ("postgresql://radar@db/radar?password=s3cret&sslmode=require", "postgresql://radar@db/radar?password=***&sslmode=require"),
        ("postgresql:///radar?host=/run/postgresql&user=radar&password=s3cret", "postgresql:///radar?host=/run/postgresql&user=radar&password=***"),
        ("postgresql://radar:s3cret@db/radar?sslpassword=k3y", "postgresql://radar:***@db/radar?sslpassword=***"),
        ("https://elastic:s3cret@es.example:9200", "https://elastic:***@es.example:9200"),
        ("https://es.example:9200/?api_key=s3cret", "https://es.example:9200/?api_key=***"),
        ("https://es.example:9200", "https://es.example:9200"),
    ],
)  # fmt: skip
def test_settings_hide_every_password_in_a_url(url: str, shown: str) -> None:
    assert hidden_password(url) == shown


def test_the_settings_answer_holds_no_secret(client_for: Callable[..., TestClient]) -> None:
    client = client_for(smtp_password="smtp-s3cret", smtp_user="radar")
    answer = client.get("/api/settings")
    assert answer.status_code == 200
    assert "s3cret" not in answer.text and "smtp" not in answer.text


@pytest.mark.parametrize(
    ("request_line", "logged"),
    [
        ("GET /unsubscribe/7?key=s3cret HTTP/1.1", "GET /unsubscribe/7?key=[hidden] HTTP/1.1"),
        ("GET /feeds/search.atom?q=scam&token=s3cret", "GET /feeds/search.atom?q=scam&token=[hidden]"),
        # Percent-encoded names are the same parameters to the server that reads them.
        ("GET /calendar.ics?%74oken=s3cret&country=SG", "GET /calendar.ics?%74oken=[hidden]&country=SG"),
        ("GET /unsubscribe/7?%6B%65%79=s3cret", "GET /unsubscribe/7?%6B%65%79=[hidden]"),
        ("GET /unsubscribe/7?%6b%65%79=s3cret", "GET /unsubscribe/7?%6b%65%79=[hidden]"),
        # Other parameters, and words in a search, are left as they are.
        ("GET /?q=token%3Dabc&keyword=age", "GET /?q=token%3Dabc&keyword=age"),
        ("GET /?q=key=value", "GET /?q=key=value"),
    ],
)
def test_the_access_log_hides_secret_parameters_however_spelled(request_line: str, logged: str) -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s" %d', ("1.2.3.4", request_line, 200), None
    )
    assert HideUrlSecrets().filter(record)
    assert record.getMessage() == f'1.2.3.4 - "{logged}" 200'
