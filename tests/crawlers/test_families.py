"""The listing, page and sitemap families against the fixture site."""

from __future__ import annotations

import gzip
from pathlib import Path

from tests.crawlers.site import Route, Site
from tests.crawlers.test_crawl import ARTICLE, Tracker, registry


def pdf(text: str) -> bytes:
    """A one-page PDF saying `text`."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def article(title: str, sentence: str) -> bytes:
    return ARTICLE.replace(b"Regulator opens consultation on scam ads", title.encode()).replace(
        b"to curb investment scams in Singapore.", sentence.encode()
    )


def listing(*links: str, next_page: str | None = None) -> bytes:
    anchors = "".join(f'<li><a href="{link}">Release {link}</a></li>' for link in links)
    more = f'<a class="next" href="{next_page}">Older</a>' if next_page else ""
    return (
        '<html><body><nav><a href="/about">About</a><a href="/contact">Contact</a></nav>'
        f'<ul class="releases">{anchors}</ul>{more}</body></html>'
    ).encode()


def test_a_listing_follows_its_articles_and_pages_then_stops_at_what_it_has(site: Site, tmp_path: Path, tagger) -> None:
    site.routes["/media/releases"] = Route(
        listing("/media/releases/a", "/media/releases/b", "/files/paper.pdf", next_page="/media/releases?page=2")
    )
    site.routes["/media/releases?page=2"] = Route(listing("/media/releases/c"))
    for name in "abc":
        site.routes[f"/media/releases/{name}"] = Route(
            article(f"Release {name}", f"Release {name} concerns scam ads in Singapore.")
        )
    site.routes["/files/paper.pdf"] = Route(
        pdf("Consultation paper on online safety codes for app stores"), "application/pdf"
    )
    sources = registry(
        tmp_path,
        {"id": "sg-listing", "family": "listing", "url": f"{site.url}/media/releases", "next_page": "a.next"},
    )
    tracker = Tracker(tmp_path / "data", tagger)
    report = tracker.crawl(sources)["sg-listing"]
    assert (report.new, report.errors) == (4, [])
    urls = {item.url: item for item in tracker.store.iter_items()}
    assert set(urls) == {f"{site.url}/media/releases/{name}" for name in "abc"} | {f"{site.url}/files/paper.pdf"}
    assert "online safety codes for app stores" in urls[f"{site.url}/files/paper.pdf"].text
    assert site.requested("/about") == []  # navigation is not followed

    site.routes["/media/releases"] = Route(
        listing("/media/releases/d", "/media/releases/a", next_page="/media/releases?page=2")
    )
    site.routes["/media/releases/d"] = Route(article("Release d", "Release d concerns scam ads in Singapore."))
    report = tracker.crawl(sources)["sg-listing"]
    assert report.new == 1
    assert site.requested("/media/releases/a") == [200]  # what is stored is not fetched again
    assert site.requested("/media/releases?page=2") == [200, 304]


def test_listing_selectors_may_be_xpath(site: Site, tmp_path: Path, tagger) -> None:
    site.routes["/releases"] = Route(listing("/releases/x", "/other/y"))
    site.routes["/releases/x"] = Route(article("Release x", "Release x concerns scam ads in Singapore."))
    site.routes["/other/y"] = Route(article("Release y", "Release y concerns scam ads in Singapore."))
    sources = registry(
        tmp_path,
        {"id": "sg-x", "family": "listing", "url": f"{site.url}/releases", "links": "//ul[@class='releases']//a"},
        {
            "id": "sg-y",
            "family": "listing",
            "url": f"{site.url}/releases",
            "links": "ul.releases a",
            "follow": "/other/",
        },
    )
    tracker = Tracker(tmp_path / "data", tagger)
    reports = tracker.crawl(sources)
    assert (reports["sg-x"].new, reports["sg-y"].new) == (1, 1)  # under the listing's path; by the pattern
    assert site.requested("/about") == []


def test_a_listing_whose_links_find_nothing_is_a_parse_error(site: Site, tmp_path: Path, tagger) -> None:
    site.routes["/news"] = Route(b"<html><body><div>Redesigned, nothing to follow</div></body></html>")
    tracker = Tracker(tmp_path / "data", tagger)
    report = tracker.crawl(registry(tmp_path, {"id": "sg-news", "family": "listing", "url": f"{site.url}/news"}))
    assert report["sg-news"].errors[0].startswith("parse: no article links found")


def test_a_watched_page_keeps_its_versions(site: Site, tmp_path: Path, tagger) -> None:
    site.routes["/guidance"] = Route(article("Guidance on scam ads", "Platforms must verify advertisers by March."))
    sources = registry(tmp_path, {"id": "sg-guidance", "family": "page", "url": f"{site.url}/guidance"})
    tracker = Tracker(tmp_path / "data", tagger)
    assert tracker.crawl(sources)["sg-guidance"].new == 1
    assert tracker.crawl(sources)["sg-guidance"].fetched == 1  # a 304: nothing else
    site.routes["/guidance"] = Route(article("Guidance on scam ads", "Platforms must verify advertisers by June."))
    assert tracker.crawl(sources)["sg-guidance"].updated == 1
    (stored,) = tracker.store.iter_items()
    versions = tracker.store.versions(stored.id)
    assert len(versions) == 2 and "by June" in versions[-1].text


def test_a_sitemap_index_its_sitemaps_and_the_articles_it_follows(site: Site, tmp_path: Path, tagger) -> None:
    urlset = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{site.url}/news/1</loc><lastmod>2025-03-01</lastmod></url>"
        f"<url><loc>{site.url}/news/2</loc><lastmod>2025-03-02</lastmod></url>"
        f"<url><loc>{site.url}/about</loc></url></urlset>"
    ).encode()
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.url}/sitemap-news.xml.gz</loc></sitemap></sitemapindex>"
    ).encode()
    site.routes["/sitemap.xml"] = Route(index, "application/xml")
    site.routes["/sitemap-news.xml.gz"] = Route(gzip.compress(urlset), "application/x-gzip")
    for number in "12":
        site.routes[f"/news/{number}"] = Route(article(f"News {number}", "Scam ads in Singapore face new rules."))
    sources = registry(
        tmp_path, {"id": "sg-map", "family": "sitemap", "url": f"{site.url}/sitemap.xml", "follow": "/news/"}
    )
    tracker = Tracker(tmp_path / "data", tagger)
    assert tracker.crawl(sources)["sg-map"].new == 2
    assert site.requested("/about") == []
