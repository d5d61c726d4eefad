"""What guards every response and form: security headers (a CSP with no inline script, so
nothing crawled can run in the page), rate limits on login and the API, CSRF tokens on forms
(a random cookie the form must echo: a page on another site can post a form but cannot read the
cookie to fill it in), and secrets in URLs kept out of the access log. These few lines fit the
app more simply than a CSRF middleware would."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import urllib.parse

from fastapi import Request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.responses import Response

# Paths the API's rate limit covers: the API, the feeds, the calendar, and the unsubscribe links (open to anyone).
RATE_LIMITED_PATHS = ("/api/", "/feeds/", "/calendar.ics", "/unsubscribe/")
CSRF_COOKIE = "radar_csrf"
CSRF_FIELD = "csrf"

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# FastAPI's /docs page loads Swagger UI from a CDN with an inline script of its own.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")


def add_security_headers(request: Request, response: Response) -> None:
    headers = response.headers
    headers["Content-Security-Policy"] = DOCS_POLICY if request.url.path in DOCS_PATHS else PAGE_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.url.scheme == "https":
        headers["Strict-Transport-Security"] = "max-age=31536000"


class RateLimits:
    """Moving windows per client, in this process's memory (one API process on the embedded
    default; behind several, each counts its own). A limit of "off" turns one off."""

    def __init__(self, api_limit: str, login_limit: str) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._api = _limit("RADAR_API_RATE_LIMIT", api_limit)
        self._login = _limit("RADAR_LOGIN_RATE_LIMIT", login_limit)
        self.api_text, self.login_text = api_limit, login_limit

    def allow_api(self, request: Request) -> bool:
        return self._api is None or self._limiter.hit(self._api, "api", _client_key(request))

    def allow_login(self, request: Request) -> bool:
        return self._login is None or self._limiter.hit(self._login, "login", _client_host(request))


def _limit(setting: str, text: str) -> RateLimitItem | None:
    if text == "off":
        return None
    try:
        return parse(text)
    except ValueError:
        raise ValueError(f"{setting}={text!r} is not a rate limit: use one such as '600/minute', or 'off'.") from None


def _client_host(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _client_key(request: Request) -> str:
    # A token's holder is one client wherever they call from; anyone else is their address.
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:16]
    return "host:" + _client_host(request)


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser: its cookie's, or a new one (set_csrf_cookie sends it)."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and len(existing) >= 32:
        return existing
    if not hasattr(request.state, "new_csrf"):
        request.state.new_csrf = secrets.token_urlsafe(32)
    return request.state.new_csrf


def set_csrf_cookie(request: Request, response: Response) -> None:
    if hasattr(request.state, "new_csrf"):
        response.set_cookie(
            CSRF_COOKIE,
            request.state.new_csrf,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )


class CsrfError(Exception):
    """A form sent without this browser's CSRF token."""


async def check_csrf(request: Request) -> None:
    """A dependency for the pages' form posts: the form's token must be this browser's."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    cookie = request.cookies.get(CSRF_COOKIE)
    # As bytes: compare_digest refuses str with non-ASCII characters, and anyone may send those.
    if not (isinstance(sent, str) and cookie and secrets.compare_digest(sent.encode(), cookie.encode())):
        raise CsrfError("This form has expired or came from another site. Go back, reload the page and try again.")


# Query parameters that are credentials: an unsubscribe link's key, a feed reader's token.
_SECRET_NAMES = {"key", "token"}
_PARAMETER = re.compile(r"(?<=[?&])([^=&\s\"]*)=([^&\s\"]*)")


def _hide_secret(match: re.Match[str]) -> str:
    """A query parameter, its value hidden when its name is a secret's, spelled plainly or
    percent-encoded (`%74oken=` is `token=` to the server that reads it)."""
    name = match.group(1)
    return f"{name}=[hidden]" if urllib.parse.unquote_plus(name) in _SECRET_NAMES else match.group(0)


class HideUrlSecrets(logging.Filter):
    """For uvicorn's access log ("GET /unsubscribe/7?key=... HTTP/1.1" 200): the values of secret
    query parameters become [hidden]; whoever reads a log should not be able to use what it shows."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _PARAMETER.sub(_hide_secret, each) if isinstance(each, str) else each for each in record.args
            )
        return True
