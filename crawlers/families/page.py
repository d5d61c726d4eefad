"""The page family: one page watched for changes (a guidance page, a bill's page). Whenever its
body changes, its text is extracted again and ingested under the same URL; the store keeps each
changed version beside the old ones, with the difference between them."""

from __future__ import annotations

from collections.abc import Iterator

import scrapy
from scrapy.http import Response

from crawlers.articles import extract_article
from crawlers.spider import Record, SourceSpider, failure, header, item, outcome
from index.store.urls import canonical_url


def read(spider: SourceSpider, response: Response, source: Record, first: bool) -> Iterator[scrapy.Request]:
    found = extract_article(response.body, response.url, header(response, b"Content-Type") or "")
    if found is None:
        spider.out(failure(source, "parse", f"no readable text on {response.url}"))
        return
    spider.out(item(source, canonical_url(source["url"]), found.title or source["name"], found.text, found.published))
    spider.out(outcome(source, "ok", entries=1))
    yield from ()
