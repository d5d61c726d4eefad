"""The listing family: an HTML page that lists releases. `links` (a CSS selector, or XPath when
it starts with / or `(`) picks the links, `follow` (a regular expression) the articles among
them (by default: pages under the listing's own path, and PDFs on its host); each new one is
fetched and extracted (a PDF's text with pypdf). `next_page` (a selector too) leads to older
releases, up to `max_pages`, as long as a page still has something new. A first page whose
links find no article is a parse error, not "no news": the site has changed and the
selectors need a look."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import scrapy
from parsel import SelectorList
from scrapy.http import Response, TextResponse

from crawlers.spider import Record, SourceSpider, failure, outcome


def read(spider: SourceSpider, response: Response, source: Record, first: bool) -> Iterator[scrapy.Request]:
    parameters = source["parameters"]
    if not isinstance(response, TextResponse):
        spider.out(failure(source, "parse", f"the listing at {response.url} is not HTML"))
        return
    follow = re.compile(parameters["follow"]) if parameters.get("follow") else None
    articles: dict[str, str] = {}  # URL -> the link's text
    for node in _select(response, parameters["links"]):
        href = node.attrib.get("href") or node.css("a::attr(href)").get()
        if not href:
            continue
        url = response.urljoin(href.strip()).split("#")[0]
        if url not in articles and _is_article(url, source["url"], follow):
            articles[url] = " ".join(" ".join(node.css("::text").getall()).split())
    if not articles:
        if first:
            spider.out(
                failure(source, "parse", f"no article links found on {response.url} with {parameters['links']!r}")
            )
        return
    new = 0
    for url, text in articles.items():
        canonical = spider.new_url(url)
        if canonical is not None:
            new += 1
            yield spider.article_request(source, url, canonical, title=text)
    page = response.meta.get("page", 1)
    next_page = _select(response, parameters["next_page"]).attrib.get("href") if parameters.get("next_page") else None
    if new and next_page and page < parameters["max_pages"]:
        yield spider.source_request(source, response.urljoin(next_page), page=page + 1)
    if first:
        spider.out(outcome(source, "ok", entries=len(articles), new=new))


def _select(response: TextResponse, selector: str) -> SelectorList:
    """A CSS selector, or an XPath one when it starts with / or ( (as "//ul[@class='news']//a")."""
    return response.xpath(selector) if selector.startswith(("/", "(")) else response.css(selector)


def _is_article(url: str, listing: str, follow: re.Pattern[str] | None) -> bool:
    if not url.startswith(("http://", "https://")) or url.rstrip("/") == listing.rstrip("/"):
        return False
    if follow is not None:
        return follow.search(url) is not None
    parts, home = urlsplit(url), urlsplit(listing)
    if parts.hostname != home.hostname:
        return False
    if parts.path.lower().endswith(".pdf"):
        return True
    directory = home.path if home.path.endswith("/") else home.path.rsplit("/", 1)[0] + "/"
    if "." not in home.path.rsplit("/", 1)[-1]:  # /news/media-releases lists /news/media-releases/...
        directory = home.path.rstrip("/") + "/"
    return parts.path.startswith(directory) and len(parts.path) > len(directory)
