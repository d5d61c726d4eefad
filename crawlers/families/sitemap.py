"""The sitemap family: an XML sitemap (or a sitemap index, whose sitemaps are read in turn, up
to MAX_SITEMAPS), gzipped or not. `follow` (a regular expression) picks the article URLs; the
newest first (by lastmod), at most `max_urls` new ones a pass are fetched and extracted."""

from __future__ import annotations

import re
from collections.abc import Iterator

import scrapy
from scrapy.http import Response
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from crawlers.fetching import MAX_RESPONSE_BYTES
from crawlers.spider import Record, SourceSpider, failure, outcome

MAX_SITEMAPS = 20


def read(spider: SourceSpider, response: Response, source: Record, first: bool) -> Iterator[scrapy.Request]:
    parameters = source["parameters"]
    body = response.body
    try:
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body, max_size=MAX_RESPONSE_BYTES)
        sitemap = Sitemap(body)
        entries = list(sitemap)
    except Exception as error:  # lxml and gzip raise many kinds on a broken file
        spider.out(failure(source, "parse", f"not a sitemap ({type(error).__name__}: {error})"[:300]))
        return
    if sitemap.type == "sitemapindex":
        for entry in entries[:MAX_SITEMAPS]:
            yield spider.source_request(source, entry["loc"], page=response.meta.get("page", 1) + 1)
        if first:
            spider.out(outcome(source, "ok", entries=len(entries)))
        return
    follow = re.compile(parameters["follow"]) if parameters.get("follow") else None
    urls = [entry for entry in entries if entry.get("loc") and (follow is None or follow.search(entry["loc"]))]
    urls.sort(key=lambda entry: entry.get("lastmod", ""), reverse=True)
    new = 0
    for entry in urls:
        if new >= parameters["max_urls"]:
            break
        canonical = spider.new_url(entry["loc"])
        if canonical is not None:
            new += 1
            yield spider.article_request(source, entry["loc"], canonical)
    if first:
        spider.out(outcome(source, "ok", entries=len(urls), new=new))
