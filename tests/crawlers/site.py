"""A fixture site served on loopback for the crawler tests: a real HTTP server that honours
If-None-Match and If-Modified-Since, with routes a test sets up (feeds, articles, failures)."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = "Tue, 04 Mar 2025 10:00:00 GMT"


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    validators: bool = True  # send ETag and Last-Modified, and answer 304 to a matching request
    headers: dict[str, str] = field(default_factory=dict)
    declared_length: int | None = None  # a Content-Length to claim, whatever the body
    endless: bool = False  # after the body, a byte every 0.2 s until the client hangs up
    fail_first: int = 0  # answer 503 to this many requests first


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {"/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", "text/plain")}
        self.requests: list[tuple[str, str, int]] = []  # (path, user agent, status answered)
        self.times: dict[str, list[float]] = {}  # when each path was asked for
        self.closing = threading.Event()  # endless answers stop when the site closes
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                route = site.routes.get(self.path)
                if route is None:
                    self._answer(404, b"not found", "text/plain")
                    return
                site.times.setdefault(self.path, []).append(time.monotonic())
                if route.fail_first:
                    route.fail_first -= 1
                    self._answer(503, b"busy", "text/plain")
                    return
                etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
                # If-None-Match, when sent, decides alone (RFC 9110, 13.2.2).
                match = self.headers.get("If-None-Match")
                fresh = match == etag if match else self.headers.get("If-Modified-Since") == LAST_MODIFIED
                if route.validators and route.status == 200 and fresh:
                    self._answer(304, b"", route.content_type)
                    return
                extra = {"ETag": etag, "Last-Modified": LAST_MODIFIED} if route.validators else {}
                if route.declared_length is not None or route.endless:
                    self._trickle(route)
                    return
                self._answer(route.status, route.body, route.content_type, {**extra, **route.headers})

            def _trickle(self, route: Route) -> None:
                site.requests.append((self.path, self.headers.get("User-Agent", ""), route.status))
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.declared_length is not None:
                    self.send_header("Content-Length", str(route.declared_length))
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                    while route.endless and not site.closing.wait(0.2):  # a byte every 0.2 s
                        self.wfile.write(b" ")
                        self.wfile.flush()
                except OSError:  # the client hung up, as it should
                    pass

            def _answer(
                self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
            ) -> None:
                site.requests.append((self.path, self.headers.get("User-Agent", ""), status))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def requested(self, path: str) -> list[int]:
        """The statuses answered to requests for `path`."""
        return [status for requested, _agent, status in self.requests if requested == path]

    def close(self) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()
