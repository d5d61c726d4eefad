"""How each family reads its source's page: a function (spider, response, source, first page?)
that records what it finds and yields the requests to make next."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from crawlers.families import feed, listing, page, sitemap

READERS: dict[str, Callable[..., Iterator[Any]]] = {
    "feed": feed.read,
    "search_feed": feed.read,
    "listing": listing.read,
    "page": page.read,
    "sitemap": sitemap.read,
}
