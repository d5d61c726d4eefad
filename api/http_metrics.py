"""Counting the HTTP requests and timing them (index/metrics.py's HTTP_REQUESTS and HTTP_LATENCY).

Requests are labelled by their route's template (`/api/items/{item_id}`), never by the path asked
for: paths are unbounded (every item, every typo, every scanner's guess), and Prometheus keeps a
series per label value. A request no route took (a 404, or a 429 answered before routing) is
`(none)`; a method no route serves is `other`."""

from __future__ import annotations

import time

from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from index.metrics import HTTP_LATENCY, HTTP_REQUESTS

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
NO_ROUTE = "(none)"


class HttpMetrics:
    """Counts each HTTP request by method, route template and status, and observes its duration
    (until the last byte of the answer is handed to the server)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers when the app fails before it starts an answer

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            method = scope["method"] if scope["method"] in METHODS else "other"
            route = route_template(scope)
            HTTP_REQUESTS.labels(method, route, str(status)).inc()
            HTTP_LATENCY.labels(method, route).observe(time.perf_counter() - started)


def route_template(scope: Scope) -> str:
    """The template of the route that took the request (Starlette's router leaves it in the
    scope), or NO_ROUTE."""
    route = scope.get("route")
    return route.path if isinstance(route, BaseRoute) and hasattr(route, "path") else NO_ROUTE
