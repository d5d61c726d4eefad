"""The feed and search_feed families: read the feed's entries; fetch and extract each new
entry's article (a search feed's entries point at other sites' pages through redirects, so
they are kept as the feed gives them)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import scrapy
from scrapy.http import Response

from crawlers.feeds import Entry, FeedError, parse_feed
from crawlers.spider import Record, SourceSpider, failure, header, item, outcome
from index.store.urls import canonical_url


def read(spider: SourceSpider, response: Response, source: Record, first: bool) -> Iterator[scrapy.Request]:
    try:
        feed = parse_feed(
            response.body,
            response.url,
            header(response, b"Content-Type") or "",
            source["language"],
            source["parameters"].get("encoding"),
        )
    except FeedError as error:
        spider.out(failure(source, "parse", str(error)))
        return
    if not feed.entries:
        spider.out(failure(source, "empty", "the feed has no entries"))
        return
    new = 0
    for entry in feed.entries:
        url = spider.new_url(entry.url or _linkless_url(source["url"], entry))
        if url is None:
            continue
        new += 1
        if source["family"] == "search_feed" or not entry.url:
            spider.out(item(source, url, entry.title, entry.text, entry.published))
            continue
        yield spider.article_request(
            source, entry.url, url, title=entry.title, text=entry.text, published=entry.published
        )
    spider.out(outcome(source, "ok", entries=len(feed.entries), new=new, problems=feed.problems))


def _linkless_url(feed_url: str, entry: Entry) -> str:
    """An entry without a link is kept under its feed's URL and a hash of its title and text."""
    digest = hashlib.sha256(f"{entry.title}\n{entry.text}".encode()).hexdigest()[:16]
    separator = "&" if "?" in feed_url else "?"
    return canonical_url(f"{feed_url}{separator}radar-entry={digest}")
