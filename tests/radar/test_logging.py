"""The logs: JSON lines (RADAR_LOG_FORMAT=json) with time, level, logger, message and extra
fields; the id of the request being served on every record made for it, taken from a valid
X-Request-ID or made, and sent back; uvicorn's own lines through the same handler; no secret
from a URL or a header in any line."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import signal
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from radar.logging_setup import setup_logging
from radar.settings import Settings, SettingsError
from tests.api.conftest import own_environment
from tests.scheduler.test_commands import free_port, running

log = logging.getLogger("radar.test")


def settings_for(data_dir: Path, **changes: str) -> Settings:
    return Settings(data_dir=data_dir, database_url=None, elasticsearch_url=None, **changes)  # type: ignore[arg-type]


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[io.StringIO]:
    """setup_logging(json) into a buffer; the logging of the test run is put back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    chatty = {name: logging.getLogger(name).level for name in ("apscheduler", "alembic", "httpx")}
    lines = io.StringIO()
    setup_logging(settings_for(tmp_path / "data", log_format="json"), lines)
    yield lines
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, chatty_level in chatty.items():
        logging.getLogger(name).setLevel(chatty_level)


def records(lines: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in lines.getvalue().splitlines()]


def test_json_lines_hold_time_level_logger_message_and_extra_fields(logged: io.StringIO) -> None:
    log.warning("delivery to %s failed", "email:ops@example.org", extra={"subscription_id": 7, "attempt": 2})
    log.debug("not at the default level")
    (line,) = records(logged)
    assert line["level"] == "WARNING" and line["logger"] == "radar.test"
    assert line["message"] == "delivery to email:ops@example.org failed"
    assert (line["subscription_id"], line["attempt"]) == (7, 2)
    assert dt.datetime.fromisoformat(line["time"]).tzinfo is not None
    assert "request_id" not in line  # made outside any request


def test_the_level_and_the_text_format_are_settings(tmp_path: Path, logged: io.StringIO) -> None:
    text = io.StringIO()
    setup_logging(settings_for(tmp_path, log_level="WARNING"), text)
    log.info("hidden at WARNING")
    log.error("shown")
    assert text.getvalue().endswith(" ERROR radar.test: shown\n")
    assert logged.getvalue() == ""  # the handler of the first setup was replaced, not added to


def test_bad_log_settings_are_named() -> None:
    assert Settings.from_env({"RADAR_LOG_FORMAT": "JSON", "RADAR_LOG_LEVEL": "debug"}).log_format == "json"
    assert Settings.from_env({}).log_level == "INFO" and Settings.from_env({}).log_format == "text"
    with pytest.raises(SettingsError, match="RADAR_LOG_FORMAT must be one of text, json, not 'xml'"):
        Settings.from_env({"RADAR_LOG_FORMAT": "xml"})
    with pytest.raises(SettingsError, match="RADAR_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR"):
        Settings.from_env({"RADAR_LOG_LEVEL": "loud"})
    assert (Settings.from_env({"RADAR_METRICS_PORT": "9101"}).metrics_host, 9101) == ("127.0.0.1", 9101)
    assert Settings.from_env({"RADAR_METRICS_PORT": "0.0.0.0:9101"}).metrics_host == "0.0.0.0"
    assert Settings.from_env({}).metrics_port is None


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The app, with two routes of the test's that log: one in the event loop, one in the thread pool."""
    app = create_app(settings_for(tmp_path / "data"))

    @app.get("/logs-async")
    async def logs_async() -> dict[str, bool]:
        log.info("served in the event loop")
        return {"ok": True}

    @app.get("/logs-in-thread")
    def logs_in_thread() -> dict[str, bool]:
        log.info("served in the thread pool")
        return {"ok": True}

    with TestClient(app) as opened:
        yield opened


def test_a_valid_request_id_is_taken_answered_and_on_every_record_of_the_request(
    client: TestClient, logged: io.StringIO
) -> None:
    for path in ("/logs-async", "/logs-in-thread"):
        answer = client.get(path, headers={"X-Request-ID": "trace-4f2a:b7"})
        assert answer.headers["X-Request-ID"] == "trace-4f2a:b7"
    log.info("after the requests")
    lines = records(logged)
    assert [(line["message"], line.get("request_id")) for line in lines] == [
        ("served in the event loop", "trace-4f2a:b7"),
        ("served in the thread pool", "trace-4f2a:b7"),
        ("after the requests", None),  # the id stays with its request
    ]


@pytest.mark.parametrize(
    "sent", [None, "", "two words", "x" * 129, 'quote"d', "new\tline", "ünïcode"], ids=lambda sent: repr(sent)[:12]
)
def test_without_a_valid_request_id_one_is_made(client: TestClient, logged: io.StringIO, sent: str | None) -> None:
    headers = {} if sent is None else {"X-Request-ID": sent.encode()}
    answer = client.get("/logs-async", headers=headers)
    made = answer.headers["X-Request-ID"]
    assert made != sent and len(made) == 32 and int(made, 16) >= 0
    assert records(logged)[0]["request_id"] == made
    assert client.get("/logs-async").headers["X-Request-ID"] != made  # one per request


def test_radar_serve_logs_json_lines_with_request_ids_and_no_secrets(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = own_environment(tmp_path / "data", RADAR_LOG_FORMAT="json")
    with running("serve", "--port", str(port), env=env) as serve:
        serve.wait_for_line(f"Uvicorn running on {base}")
        for path, request_id in (
            ("/unsubscribe/1?key=unsubscribe-s3cret&from=mail", "from-proxy-1"),
            ("/feeds/search.atom?q=scam&token=feed-s3cret", "from-proxy-2"),
            ("/api/search?q=scam", "from-proxy-3"),
        ):
            request = urllib.request.Request(
                base + path, headers={"X-Request-ID": request_id, "Authorization": "Bearer header-s3cret"}
            )
            try:
                urllib.request.urlopen(request, timeout=10).close()
            except urllib.error.HTTPError as answer:  # a wrong key or token is refused: it is still logged
                assert answer.headers["X-Request-ID"] == request_id
        status = serve.stop()
    assert status in (0, -signal.SIGTERM), serve.output  # uvicorn stops, then lets the signal end it
    lines = [json.loads(line) for line in serve.lines]  # every line, uvicorn's too, is JSON
    assert {"level", "logger", "message", "time"} <= set(lines[0])
    access = {line["request_id"]: line["message"] for line in lines if line["logger"] == "uvicorn.access"}
    assert '"GET /unsubscribe/1?key=[hidden]&from=mail HTTP/1.1"' in access["from-proxy-1"]
    assert '"GET /feeds/search.atom?q=scam&token=[hidden] HTTP/1.1"' in access["from-proxy-2"]
    assert '"GET /api/search?q=scam HTTP/1.1" 401' in access["from-proxy-3"]  # the token is none of ours
    assert "s3cret" not in serve.output
    assert any(line["message"].startswith("Finished server process") for line in lines)
