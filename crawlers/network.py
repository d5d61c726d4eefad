"""Where the crawler may connect: public addresses only (`addresses.py` says which are), unless
RADAR_CRAWL_ALLOW_PRIVATE=1 (the tests serve their fixture site on loopback). A downloader
middleware checks each request's host before it is sent; a name is resolved first (and the
answer cached for the pass).

A name could resolve to a public address here and a private one when Twisted connects (DNS
rebinding); the crawler fetches public pages with no credentials, so the harm is bounded.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawlers.addresses import first_non_public


class PrivateAddressRefused(IgnoreRequest):
    """The request's host is (or resolves to) a private, loopback or link-local address."""


def private_allowed() -> bool:
    return os.environ.get("RADAR_CRAWL_ALLOW_PRIVATE") == "1"


# The first non-public address a host is or resolves to (addresses.py), looked up once a pass.
non_public_address = lru_cache(maxsize=4096)(first_non_public)


class PublicAddressesOnly:
    """Scrapy downloader middleware: refuses requests to non-public addresses."""

    def process_request(self, request: Request, spider: Spider) -> None:
        if private_allowed():
            return
        host = urlsplit(request.url).hostname or ""
        address = non_public_address(host)
        if address is not None:
            raise PrivateAddressRefused(
                f"{host} is a private, loopback or link-local address ({address}); "
                "set RADAR_CRAWL_ALLOW_PRIVATE=1 to crawl such addresses"
            )


class RobotsTxt(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with each request that waits for a host's robots.txt
    waiting on a Deferred of its own. Scrapy's (2.19, asyncio reactor) has every waiting request
    await the one shared Deferred, and only the first gets the parsed rules: the others get
    None, which lets them through. With three feeds on one host, the third, disallowed, was
    fetched (tests/crawlers/test_crawl.py catches it)."""

    async def robot_parser(self, request: Request) -> Any:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(pending, Deferred):
            waiter: Deferred[Any] = Deferred()

            def hand_on(result: Any) -> Any:
                waiter.callback(result)
                return result  # for the next request waiting

            pending.addBoth(hand_on)
            return await maybe_deferred_to_future(waiter)
        return await super().robot_parser(request)


class RetryBackoff:
    """Scrapy downloader middleware: a retried request (Scrapy's RetryMiddleware marks it with
    `retry_times`) waits RADAR_RETRY_BACKOFF_S, doubled at each further try, before it goes out.
    Scrapy retries at once otherwise, which only hits a struggling server again."""

    def __init__(self, backoff_s: float) -> None:
        self.backoff_s = backoff_s

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryBackoff:
        return cls(crawler.settings.getfloat("RADAR_RETRY_BACKOFF_S", 2.0))

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        tries = request.meta.get("retry_times", 0)
        if tries:
            from twisted.internet import reactor
            from twisted.internet.task import deferLater

            wait = deferLater(reactor, self.backoff_s * 2 ** (tries - 1), lambda: None)
            await maybe_deferred_to_future(wait)
