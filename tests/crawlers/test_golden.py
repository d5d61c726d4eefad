"""Golden items: one source of each family on the fixture site, crawled, and the items it gave
compared with tests/crawlers/golden/items.json (the fixture site's address written SITE).
After a deliberate change, RADAR_UPDATE_GOLDEN=1 rewrites the file; read its diff."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

from tests.crawlers import feed_fixtures
from tests.crawlers.site import Route, Site
from tests.crawlers.test_crawl import ARTICLE, Tracker, registry
from tests.crawlers.test_families import article, listing, pdf

GOLDEN = Path(__file__).parent / "golden" / "items.json"


def test_each_family_gives_the_golden_items(site: Site, tmp_path: Path, tagger) -> None:
    site.routes["/rss.xml"] = Route(feed_fixtures.RSS2.replace(b"/news/scam-ads-consultation", b"/news/1"))
    site.routes["/news/1"] = Route(ARTICLE)
    site.routes["/atom.xml"] = Route(feed_fixtures.ATOM)
    site.routes["/feed.json"] = Route(feed_fixtures.JSON_FEED, "application/feed+json")
    site.routes["/sjis.rdf"] = Route(feed_fixtures.SHIFT_JIS)
    site.routes["/search.rss"] = Route(feed_fixtures.RSS1)
    site.routes["/media/releases"] = Route(listing("/media/releases/a", "/files/paper.pdf"))
    site.routes["/media/releases/a"] = Route(article("Release a", "Release a concerns scam ads in Singapore."))
    site.routes["/files/paper.pdf"] = Route(pdf("Consultation paper on online safety codes"), "application/pdf")
    site.routes["/guidance"] = Route(article("Guidance on scam ads", "Platforms must verify advertisers by March."))
    urlset = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{site.url}/news/2</loc></url></urlset>"
    ).encode()
    site.routes["/sitemap.xml.gz"] = Route(gzip.compress(urlset))
    site.routes["/news/2"] = Route(article("News 2", "Deepfake scam ads targeted Japanese users."))
    sources = registry(
        tmp_path,
        {"id": "rss", "url": f"{site.url}/rss.xml"},
        {"id": "atom", "url": f"{site.url}/atom.xml"},
        {"id": "json", "url": f"{site.url}/feed.json"},
        {"id": "sjis", "url": f"{site.url}/sjis.rdf", "language": "ja", "jurisdiction": "JP"},
        {"id": "search", "url": f"{site.url}/search.rss", "family": "search_feed"},
        {"id": "listing", "url": f"{site.url}/media/releases", "family": "listing"},
        {"id": "page", "url": f"{site.url}/guidance", "family": "page"},
        {"id": "sitemap", "url": f"{site.url}/sitemap.xml.gz", "family": "sitemap"},
    )
    tracker = Tracker(tmp_path / "data", tagger)
    tracker.crawl(sources)
    found = sorted(
        (
            {
                "source": stored.source,
                "url": stored.url.replace(site.url, "SITE"),
                "title": stored.title,
                "text": stored.text[:300],
                "published": stored.published_at.date().isoformat() if stored.published_at else None,
                "language": stored.language,
                "jurisdictions": list(stored.jurisdictions),
                "harm_areas": list(stored.harm_areas),
            }
            for stored in tracker.store.iter_items()
        ),
        key=lambda entry: (entry["source"], entry["url"]),
    )
    if os.environ.get("RADAR_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert found == json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert {entry["source"] for entry in found} == {
        "rss",
        "atom",
        "json",
        "sjis",
        "search",
        "listing",
        "page",
        "sitemap",
    }
