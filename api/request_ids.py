"""A request id for every HTTP request: the caller's `X-Request-ID` when it is a plausible id (a
proxy or a client tracing a call across services sets one), else a new random one. It is sent
back in the answer's `X-Request-ID` and carried by every log record made while the request is
served (radar/logging_setup.py's REQUEST_ID), uvicorn's access line included.

A plain ASGI middleware, outermost, so the id is set before anything else runs for the request.
The id is set in the request's own task: uvicorn runs each request in a task of its own, whose
context is a copy, so the id never reaches another request; it is not reset at the end, so the
line uvicorn logs for an error that escapes the app still carries it."""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from radar.logging_setup import REQUEST_ID

HEADER = "X-Request-ID"
# Letters, digits and a few separators, at most 128: enough for UUIDs and tracing ids, and nothing
# that could forge a log line or a header (no spaces, quotes, control characters or newlines).
VALID_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


def request_id_from(scope: Scope) -> str:
    """The caller's id when valid, else a new one (32 hexadecimal digits)."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            sent = value.decode("latin-1")
            if VALID_ID.fullmatch(sent):
                return sent
            break
    return uuid.uuid4().hex


class RequestIds:
    """Sets REQUEST_ID for each HTTP request and names it in the answer's X-Request-ID header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope)
        REQUEST_ID.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        await self.app(scope, receive, send_with_id)
