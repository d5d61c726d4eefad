"""Hostile input: each case gets a bounded outcome, named in the source's health, and the rest
of the pass goes on (one good source crawls beside them)."""

from __future__ import annotations

import gzip
from pathlib import Path

from tests.crawlers.feed_fixtures import ENTITY_BOMB, many_entries
from tests.crawlers.site import Route, Site
from tests.crawlers.test_crawl import ARTICLE, Tracker, registry, rss

HOSTILE_HTML = (
    b"<html><head><title>Hostile</title><script>while(true){}</script></head><body>"  # and unclosed tags
    + b"<div>" * 5000
    + b"<p>The Ministry warned platforms about online gambling advertisements targeting minors in Thailand.</p>"
    + b"</div>" * 10
    + b"<p>Unclosed <b>tags <i>everywhere"
)


def test_hostile_responses_are_bounded_and_named(site: Site, tmp_path: Path, tagger) -> None:
    site.routes["/good.xml"] = Route(rss(site.url, "/news/good", "/news/hostile", "/news/lying"))
    site.routes["/news/good"] = Route(ARTICLE)
    site.routes["/news/hostile"] = Route(HOSTILE_HTML)
    site.routes["/news/lying"] = Route(ARTICLE.replace(b"Regulator", "Régulateur".encode("cp1252")))  # says UTF-8
    site.routes["/loop.xml"] = Route(b"", status=302, validators=False, headers={"Location": "/loop.xml"})
    site.routes["/bomb.xml"] = Route(
        gzip.compress(b"\0" * 200_000_000), "application/rss+xml", headers={"Content-Encoding": "gzip"}
    )
    site.routes["/huge.xml"] = Route(b"<rss>" + b" " * 65536, declared_length=2 * 1024**3)
    site.routes["/endless.xml"] = Route(b'<?xml version="1.0"?><rss version="2.0"><channel>', endless=True)
    site.routes["/entities.xml"] = Route(ENTITY_BOMB)
    site.routes["/big.xml"] = Route(many_entries(100_000))
    sources = registry(
        tmp_path,
        {"id": "good", "url": f"{site.url}/good.xml"},
        {"id": "loop", "url": f"{site.url}/loop.xml"},
        {"id": "bomb", "url": f"{site.url}/bomb.xml"},
        {"id": "huge", "url": f"{site.url}/huge.xml"},
        {"id": "endless", "url": f"{site.url}/endless.xml"},
        {"id": "entities", "url": f"{site.url}/entities.xml", "family": "search_feed"},
        {"id": "big", "url": f"{site.url}/big.xml", "family": "search_feed"},
    )
    tracker = Tracker(tmp_path / "data", tagger)
    reports = tracker.crawl(sources, fetch_settings={"DOWNLOAD_TIMEOUT": 3})
    classes = {
        source: (report.errors[0].split(":")[0] if report.errors else None) for source, report in reports.items()
    }
    assert classes == {
        "good": None,
        "loop": "redirect_loop",
        "bomb": "too_large",
        "huge": "too_large",
        "endless": "timeout",
        "entities": None,
        "big": None,
    }
    assert reports["good"].new == 3
    stored = {item.url.rsplit("/", 1)[-1]: item for item in tracker.store.iter_items()}
    # 5,000 nested elements are past what the HTML parser reads: the feed's words stand in.
    assert stored["hostile"].text.startswith("Feed summary of /news/hostile")
    assert "curb investment scams" in stored["lying"].text
    assert reports["entities"].new == 1  # the entry after the bomb
    assert reports["big"].new == 500  # the first 500 of 100,000
