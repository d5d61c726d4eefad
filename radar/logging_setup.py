"""The logs of the long-running and scheduled commands (`radar serve`, `up`, `scheduler`, `crawl`,
`ingest`, `alerts run`): one handler on standard error, as plain lines or as one JSON object a
line (RADAR_LOG_FORMAT=json) with the time, level, logger, message and any extra fields, at
RADAR_LOG_LEVEL. Uvicorn's own loggers go through the same handler (radar/serve_command.py
runs it without a logging configuration of its own).

A record made while the API serves a request carries that request's id (`request_id`): the API's
middleware (api/request_ids.py) sets `REQUEST_ID` for the request's task, whose context every
log call made for it (in its task, its thread-pool calls, uvicorn's access line) sees."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from typing import IO

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from radar.settings import Settings

REQUEST_ID: ContextVar[str | None] = ContextVar("radar_request_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Routine lines of these libraries (a job starting, each store open checking migrations, each
# HTTP call) would drown the tracker's own; their warnings still show, and DEBUG shows them all.
CHATTY = ("apscheduler", "alembic", "httpx")
# Uvicorn adds a coloured copy of some messages as an extra field: the same text again, with escapes.
NOT_FIELDS = ("color_message",)


class RequestIdFilter(logging.Filter):
    """Puts the id of the request being served, if any, on each record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = REQUEST_ID.get()
        if request_id is not None:
            record.request_id = request_id
        return True


class TextFormatter(logging.Formatter):
    """TEXT_FORMAT, with ` [request <id>]` after the message of a record made for a request."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = getattr(record, "request_id", None)
        return line if request_id is None else f"{line} [request {request_id}]"


def json_formatter() -> JsonFormatter:
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message, then extra fields."""
    return JsonFormatter(
        "%(levelname)s %(name)s %(message)s",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",
        reserved_attrs=[*RESERVED_ATTRS, *NOT_FIELDS],
        json_ensure_ascii=False,
    )


class RadarHandler(logging.StreamHandler):
    """The handler setup_logging installs (a class of its own, so a second setup replaces it)."""


def setup_logging(settings: Settings, stream: IO[str] | None = None) -> logging.Handler:
    """Send every logger's records at `settings.log_level` or above to `stream` (standard error)
    in `settings.log_format`; replaces the handler of an earlier call. Returns the handler."""
    handler = RadarHandler(stream or sys.stderr)
    handler.setFormatter(json_formatter() if settings.log_format == "json" else TextFormatter())
    # On the handler, not a logger: a logger's filters see only the records made on that logger.
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for earlier in [each for each in root.handlers if isinstance(each, RadarHandler)]:
        root.removeHandler(earlier)
    root.addHandler(handler)
    level = logging.getLevelName(settings.log_level)
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.NOTSET if level <= logging.DEBUG else logging.WARNING)
    return handler
