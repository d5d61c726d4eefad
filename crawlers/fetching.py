"""How the crawler fetches: Scrapy's settings for politeness and bounds, and what each kind of
failure is called in a source's health."""

from __future__ import annotations

from typing import Any

from twisted.internet import defer, error
from twisted.python.failure import Failure

from crawlers.network import PrivateAddressRefused

USER_AGENT = "policy-radar/0.1 (+https://github.com/policy-radar/policy-radar; online-safety policy tracker)"
MAX_RESPONSE_BYTES = 10 * 1024 * 1024

SETTINGS: dict[str, Any] = {
    "USER_AGENT": USER_AGENT,
    "ROBOTSTXT_OBEY": True,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 0.5,
    "AUTOTHROTTLE_MAX_DELAY": 30,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 2.0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_TIMEOUT": 20,
    "DOWNLOAD_MAXSIZE": MAX_RESPONSE_BYTES,  # a bigger response (or a bigger decompressed one) is cancelled
    "DOWNLOAD_WARNSIZE": 0,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 2,
    "RADAR_RETRY_BACKOFF_S": 2.0,  # before the first retry; doubled before the next (network.RetryBackoff)
    "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408],
    "REDIRECT_MAX_TIMES": 5,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    "DOWNLOADER_MIDDLEWARES": {
        "crawlers.network.PublicAddressesOnly": 50,
        "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
        "crawlers.network.RobotsTxt": 100,
        "crawlers.network.RetryBackoff": 60,
    },
}

HTTP_CLASSES = {403: "blocked", 401: "blocked", 429: "blocked", 451: "blocked", 404: "not_found", 410: "not_found"}


def http_error_class(status: int) -> str:
    if status in HTTP_CLASSES:
        return HTTP_CLASSES[status]
    return "server" if status >= 500 else f"http_{status}"


def failure_class(failure: Failure) -> tuple[str, str]:
    """(class, message) of a download that failed before any response."""
    value = failure.value
    message = f"{type(value).__name__}: {value}"[:300]
    response = getattr(value, "response", None)  # Scrapy's HttpError: an answer, but not a 2xx one
    if response is not None and getattr(response, "status", 0) >= 300:
        return http_error_class(response.status), f"HTTP {response.status} from {response.url}"
    name = type(value).__name__  # Scrapy >= 2.14 wraps Twisted's errors in Download*Error classes
    if isinstance(value, PrivateAddressRefused):
        return "refused", str(value)
    if isinstance(value, error.DNSLookupError) or "DNS" in name or "Resolve" in name:
        return "dns", message
    if isinstance(value, error.TimeoutError | error.TCPTimedOutError | defer.TimeoutError) or "Timeout" in name:
        return "timeout", message
    if isinstance(value, defer.CancelledError) or "Cancelled" in name or "MAXSIZE" in message.upper():
        return "too_large", f"response larger than {MAX_RESPONSE_BYTES // (1024 * 1024)} MB, or cancelled"
    if "SSL" in name or "TLS" in name or "ssl" in message.lower() or "certificate" in message.lower():
        return "tls", message
    if "robots.txt" in message:
        return "robots", message
    if "redirect" in message.lower():  # Scrapy: "max redirections reached"
        return "redirect_loop", message
    if isinstance(value, error.ConnectionRefusedError | error.ConnectionLost | error.ConnectError) or "Connect" in name:
        return "connection", message
    return "other", message
