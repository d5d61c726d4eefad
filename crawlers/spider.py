"""The spider of a crawl pass: it fetches each source's URL conditionally, classes its failures,
notices an unchanged body by its hash, and fetches and extracts new articles; how to read a
source's page is its family's (`crawlers/families/`: feed, listing, page, sitemap).

One spider crawls every family in a pass, so that Scrapy's limit of two requests at a time per
host holds across them (each spider has its own downloader: with one per family, a host with a
feed and a listing would get four)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawlers.articles import extract_article
from crawlers.fetching import failure_class, http_error_class
from index.store.urls import canonical_url

Record = dict[str, Any]


class SourceSpider(scrapy.Spider):
    """Crawls `sources`; records go to `out` (crawlers/process.py)."""

    name = "sources"

    def __init__(
        self, sources: list[Record], validators: dict[str, Record], known: set[str], out: Callable[[Record], None]
    ) -> None:
        super().__init__()
        self.sources, self.validators, self.known, self.out = sources, validators, known, out

    async def start(self) -> Any:  # Scrapy >= 2.13
        for source in self.sources:
            yield self.source_request(source, source["url"])

    def source_request(self, source: Record, url: str, **meta: Any) -> scrapy.Request:
        """A conditional request for a page of the source itself (not an article); `meta`
        `page` (a number) marks a later page of a listing or sitemap."""
        headers = {}
        known = self.validators.get(url, {})
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        return scrapy.Request(
            url,
            headers=headers,
            callback=self.source_page,
            errback=self.source_failed,
            dont_filter=True,
            # A 304 comes to the callback; redirects are followed; other failures go to the errback
            # (handle_httpstatus_all would also stop redirects being followed).
            meta={"source": source, "handle_httpstatus_list": [304], **meta},
        )

    def source_page(self, response: Response) -> Iterator[scrapy.Request]:
        from crawlers.families import READERS

        source = response.meta["source"]
        first = "page" not in response.meta  # the source's own URL, not a later page of it
        if response.status == 304:
            if first:
                self.out(outcome(source, "unchanged"))
            return
        if response.status != 200:
            if first:
                message = f"HTTP {response.status} from {response.url}"
                self.out(failure(source, http_error_class(response.status), message))
            return
        digest = hashlib.sha256(response.body).hexdigest()
        url = response.request.url if response.request else response.url
        self.out(
            {
                "type": "validators",
                "source": source["id"],
                "url": url,
                "etag": header(response, b"ETag"),
                "last_modified": header(response, b"Last-Modified"),
                "content_hash": digest,
            }
        )
        if digest == self.validators.get(url, {}).get("content_hash"):
            if first:
                self.out(outcome(source, "unchanged"))
            return
        yield from READERS[source["family"]](self, response, source, first)

    def source_failed(self, failure_: Failure) -> None:
        meta = failure_.request.meta  # type: ignore[attr-defined]
        if "page" not in meta:
            self.out(failure(meta["source"], *failure_class(failure_)))

    def new_url(self, url: str) -> str | None:
        """`url` canonical, if no item has it yet (and from now on it is taken)."""
        canonical = canonical_url(url)
        if canonical in self.known:
            return None
        self.known.add(canonical)
        return canonical

    def article_request(self, source: Record, url: str, canonical: str, **fallback: Any) -> scrapy.Request:
        """Fetch and extract an article; `fallback` (title, text, published) stands in where it fails."""
        return scrapy.Request(
            url,
            callback=self.article,
            errback=self.article_failed,
            meta={"source": source, "url": canonical, "fallback": fallback},
        )

    def article(self, response: Response) -> None:
        source, url, fallback = response.meta["source"], response.meta["url"], response.meta["fallback"]
        found = extract_article(response.body, response.url, header(response, b"Content-Type") or "")
        given = fallback.get("text") or ""
        text = found.text if found and len(found.text) > len(given) else given
        if not text:
            self.out({"type": "problem", "source": source["id"], "url": url, "class": "parse", "error": "no text"})
            return
        title = fallback.get("title") or (found.title if found else "")
        published = fallback.get("published") or (found.published if found else None)
        self.out(item(source, url, title, text, published, fetched=1))

    def article_failed(self, failure_: Failure) -> None:
        meta = failure_.request.meta  # type: ignore[attr-defined]
        error_class, message = failure_class(failure_)
        fallback = meta["fallback"]
        if fallback.get("text"):  # the source's own words stand in, so the entry is not lost
            self.out(item(meta["source"], meta["url"], fallback["title"], fallback["text"], fallback.get("published")))
        problem = {"type": "problem", "source": meta["source"]["id"], "url": meta["url"]}
        self.out({**problem, "class": error_class, "error": message})


def item(source: Record, url: str, title: str, text: str, published: Any, fetched: int = 0) -> Record:
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


def outcome(source: Record, result: str, **details: Any) -> Record:
    return {"type": "source", "source": source["id"], "outcome": result, "fetched": 1, **details}


def failure(source: Record, error_class: str, message: str) -> Record:
    return {"type": "source", "source": source["id"], "outcome": "error", "class": error_class, "error": message}


def header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
