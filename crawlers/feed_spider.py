"""The spider for the feed and search_feed families: fetch each feed (conditionally), read its
entries, and for each entry not seen before fetch the article and extract it with trafilatura
(a search feed's entries point at other sites' pages through redirects: they are kept as the
feed gives them). Everything it learns goes to `out` as records (crawlers/process.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawlers.articles import extract_article
from crawlers.feeds import Entry, FeedError, parse_feed
from crawlers.fetching import failure_class, http_error_class
from index.store.urls import canonical_url

Record = dict[str, Any]


class FeedSpider(scrapy.Spider):
    name = "feeds"

    def __init__(
        self, sources: list[Record], validators: dict[str, Record], known: set[str], out: Callable[[Record], None]
    ) -> None:
        super().__init__()
        self.sources, self.validators, self.known, self.out = sources, validators, known, out

    async def start(self) -> Any:  # Scrapy >= 2.13
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        for source in self.sources:
            headers = {}
            known = self.validators.get(source["url"], {})
            if known.get("etag"):
                headers["If-None-Match"] = known["etag"]
            if known.get("last_modified"):
                headers["If-Modified-Since"] = known["last_modified"]
            yield scrapy.Request(
                source["url"],
                headers=headers,
                callback=self.feed,
                errback=self.feed_failed,
                dont_filter=True,
                meta={"source": source, "handle_httpstatus_all": True},
            )

    def feed(self, response: Response) -> Iterator[scrapy.Request]:
        source = response.meta["source"]
        if response.status == 304:
            self.out({"type": "source", "source": source["id"], "outcome": "unchanged", "fetched": 1})
            return
        if response.status != 200:
            self.out(_failure(source, http_error_class(response.status), f"HTTP {response.status} from {response.url}"))
            return
        digest = hashlib.sha256(response.body).hexdigest()
        self.out(
            {
                "type": "validators",
                "source": source["id"],
                "url": source["url"],
                "etag": _header(response, b"ETag"),
                "last_modified": _header(response, b"Last-Modified"),
                "content_hash": digest,
            }
        )
        if digest == self.validators.get(source["url"], {}).get("content_hash"):
            self.out({"type": "source", "source": source["id"], "outcome": "unchanged", "fetched": 1})
            return
        try:
            feed = parse_feed(
                response.body,
                response.url,
                _header(response, b"Content-Type") or "",
                source["language"],
                source["parameters"].get("encoding"),
            )
        except FeedError as error:
            self.out(_failure(source, "parse", str(error)))
            return
        if not feed.entries:
            self.out(_failure(source, "empty", "the feed has no entries"))
            return
        new = 0
        for entry in feed.entries:
            url = canonical_url(entry.url) if entry.url else _linkless_url(source["url"], entry)
            if url in self.known:
                continue
            self.known.add(url)
            new += 1
            if source["family"] == "search_feed" or not entry.url:
                self.out(_item(source, url, entry.title, entry.text, entry.published))
                continue
            yield scrapy.Request(
                entry.url,
                callback=self.article,
                errback=self.article_failed,
                meta={"source": source, "entry": entry, "url": url},
            )
        self.out(
            {
                "type": "source",
                "source": source["id"],
                "outcome": "ok",
                "fetched": 1,
                "entries": len(feed.entries),
                "new": new,
                "problems": feed.problems,
            }
        )

    def feed_failed(self, failure: Failure) -> None:
        source = failure.request.meta["source"]  # type: ignore[attr-defined]
        self.out(_failure(source, *failure_class(failure)))

    def article(self, response: Response) -> None:
        source, entry, url = response.meta["source"], response.meta["entry"], response.meta["url"]
        article = extract_article(response.body, response.url, _header(response, b"Content-Type") or "")
        title = entry.title or (article.title if article else "")
        text = article.text if article and len(article.text) > len(entry.text) else entry.text
        published = entry.published or (article.published if article else None)
        self.out(_item(source, url, title, text, published, fetched=1))

    def article_failed(self, failure: Failure) -> None:
        meta = failure.request.meta  # type: ignore[attr-defined]
        error_class, message = failure_class(failure)
        # The feed's own words stand in for the article, so the entry is not lost.
        self.out(_item(meta["source"], meta["url"], meta["entry"].title, meta["entry"].text, meta["entry"].published))
        self.out(
            {
                "type": "problem",
                "source": meta["source"]["id"],
                "url": meta["url"],
                "class": error_class,
                "error": message,
            }
        )


def _item(source: Record, url: str, title: str, text: str, published: Any, fetched: int = 0) -> Record:
    return {
        "type": "item",
        "source": source["id"],
        "source_kind": source["kind"],
        "url": url,
        "title": title,
        "text": text,
        "published": published.isoformat() if published else None,
        "fetched": fetched,
    }


def _failure(source: Record, error_class: str, message: str) -> Record:
    return {"type": "source", "source": source["id"], "outcome": "error", "class": error_class, "error": message}


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _linkless_url(feed_url: str, entry: Entry) -> str:
    """An entry without a link is kept under its feed's URL and a hash of its title and text."""
    digest = hashlib.sha256(f"{entry.title}\n{entry.text}".encode()).hexdigest()[:16]
    separator = "&" if "?" in feed_url else "?"
    return canonical_url(f"{feed_url}{separator}radar-entry={digest}")
