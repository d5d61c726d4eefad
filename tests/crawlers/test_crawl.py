"""A crawl pass end to end, against the fixture site on loopback: feeds fetched conditionally,
articles extracted, items ingested, and every failure named in the source's health."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawlers.crawl import PassError, SourceReport, crawl_pass
from crawlers.registry import load_registry
from crawlers.state import CrawlState
from index.ingest import Ingester
from index.search.tantivy_engine import TantivyEngine
from index.store.sql_store import SqlStore
from nlp.tagger import Tagger
from tests.crawlers.site import Route, Site

ARTICLE = b"""<html><head><title>Regulator opens consultation on scam ads</title>
<meta name="author" content="Press Office"></head><body><nav>Home | News</nav><article>
<h1>Regulator opens consultation on scam ads</h1>
<p>The Example Communications Regulator today opened a public consultation on new rules requiring
platforms to verify advertisers before running financial ads, to curb investment scams in Singapore.</p>
<p>Submissions close on 30 June 2025. The regulator will publish a summary of responses.</p>
</article><footer>Copyright</footer></body></html>"""


def rss(base: str, *paths: str) -> bytes:
    items = "".join(
        f"<item><title>Item {path}</title><link>{base}{path}</link><description>Feed summary of {path} about "
        f"scam ads in Singapore.</description><pubDate>Tue, 04 Mar 2025 10:00:00 +0800</pubDate></item>"
        for path in paths
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Reg</title>{items}</channel></rss>'.encode()


class Tracker:
    """A store, an index and the crawl state in a temporary data directory."""

    def __init__(self, root: Path, tagger: Tagger) -> None:
        self.store = SqlStore.open(None, root)
        self.engine = TantivyEngine(root / "index")
        self.state = CrawlState(self.store.engine)
        self.ingester = Ingester(tagger, self.store, self.engine)

    def crawl(
        self, registry: Path, now: dt.datetime = dt.datetime(2025, 3, 5, tzinfo=dt.UTC), **options: Any
    ) -> dict[str, SourceReport]:
        reports = crawl_pass(load_registry(registry), self.state, self.ingester, clock=lambda: now, **options)
        return {report.source: report for report in reports}


def registry(tmp_path: Path, *entries: dict[str, str]) -> Path:
    path = tmp_path / "sources.yaml"
    base = {"name": "Example", "kind": "regulator", "jurisdiction": "SG", "language": "en", "family": "feed"}
    path.write_text(yaml.safe_dump({"sources": [{**base, **entry} for entry in entries]}), encoding="utf-8")
    return path


def test_a_feed_pass_then_a_conditional_one(site: Site, tmp_path: Path, tagger: Tagger) -> None:
    site.routes["/feed.xml"] = Route(rss(site.url, "/news/1", "/news/2"), "application/rss+xml")
    site.routes["/news/1"] = Route(ARTICLE)
    site.routes["/news/2"] = Route(b"broken", status=500)
    sources = registry(tmp_path, {"id": "sg-reg", "url": f"{site.url}/feed.xml"})
    tracker = Tracker(tmp_path / "data", tagger)

    first = tracker.crawl(sources)["sg-reg"]
    assert (first.new, first.updated, first.unchanged) == (2, 0, 0)
    assert first.errors == [f"server: {site.url}/news/2"]
    stored = {item.url: item for item in tracker.store.iter_items()}
    article = stored[f"{site.url}/news/1"]
    assert article.title == "Item /news/1"
    assert "verify advertisers before running financial ads" in article.text  # the page, not the feed
    assert article.source == "sg-reg" and article.source_kind == "regulator"
    assert "SG" in article.jurisdictions and "scams_fraud" in article.harm_areas
    assert stored[f"{site.url}/news/2"].text.startswith("Feed summary of /news/2")  # the feed stands in
    assert all(agent.startswith("policy-radar/") for _path, agent, _status in site.requests)

    second = tracker.crawl(sources, now=dt.datetime(2025, 3, 6, tzinfo=dt.UTC))["sg-reg"]
    assert (second.fetched, second.new, second.errors) == (1, 0, [])
    assert site.requested("/feed.xml") == [200, 304]
    assert site.requested("/news/1") == [200]  # articles already stored are not fetched again
    health = tracker.state.health(dt.datetime(2025, 3, 6, tzinfo=dt.UTC))["sg-reg"]
    assert health.consecutive_failures == 0 and health.last_success_at == dt.datetime(2025, 3, 6, tzinfo=dt.UTC)
    assert health.items_7_days == 2


def test_each_failure_is_classed_in_the_source_health(site: Site, tmp_path: Path, tagger: Tagger) -> None:
    site.routes["/blocked.xml"] = Route(b"denied", status=403)
    site.routes["/page.html"] = Route(b"<html><body>Not a feed</body></html>")
    site.routes["/empty.xml"] = Route(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    )
    site.routes["/private/feed.xml"] = Route(rss(site.url, "/news/9"))
    sources = registry(
        tmp_path,
        {"id": "blocked", "url": f"{site.url}/blocked.xml"},
        {"id": "gone", "url": f"{site.url}/gone.xml"},
        {"id": "html", "url": f"{site.url}/page.html"},
        {"id": "empty", "url": f"{site.url}/empty.xml"},
        {"id": "robots", "url": f"{site.url}/private/feed.xml"},
        {"id": "closed", "url": "http://127.0.0.1:9/feed.xml"},
    )
    tracker = Tracker(tmp_path / "data", tagger)
    reports = tracker.crawl(sources)
    classes = {source: report.errors[0].split(":")[0] for source, report in reports.items()}
    assert classes == {
        "blocked": "blocked",
        "gone": "not_found",
        "html": "parse",
        "empty": "empty",
        "robots": "robots",
        "closed": "connection",
    }
    tracker.crawl(sources)
    health = tracker.state.health(dt.datetime(2025, 3, 5, tzinfo=dt.UTC))
    assert health["blocked"].consecutive_failures == 2
    assert health["blocked"].last_error_class == "blocked" and health["blocked"].last_success_at is None
    assert site.requested("/private/feed.xml") == []  # robots.txt obeyed


def test_private_addresses_are_refused_unless_allowed(
    site: Site, tmp_path: Path, tagger: Tagger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RADAR_CRAWL_ALLOW_PRIVATE")
    site.routes["/feed.xml"] = Route(rss(site.url, "/news/1"))
    tracker = Tracker(tmp_path / "data", tagger)
    report = tracker.crawl(registry(tmp_path, {"id": "loopback", "url": f"{site.url}/feed.xml"}))["loopback"]
    assert report.errors[0].startswith("refused: 127.0.0.1 is a private, loopback or link-local address")
    assert "RADAR_CRAWL_ALLOW_PRIVATE=1" in report.errors[0]
    assert site.requested("/feed.xml") == []


def test_a_pass_that_runs_out_of_time_keeps_what_it_found(site: Site, tmp_path: Path, tagger: Tagger) -> None:
    site.routes["/feed.xml"] = Route(rss(site.url, "/news/1"))
    site.routes["/news/1"] = Route(ARTICLE)
    site.routes["/endless.xml"] = Route(b'<?xml version="1.0"?><rss version="2.0">', endless=True)
    sources = registry(
        tmp_path, {"id": "quick", "url": f"{site.url}/feed.xml"}, {"id": "slow", "url": f"{site.url}/endless.xml"}
    )
    tracker = Tracker(tmp_path / "data", tagger)
    reports = tracker.crawl(sources, timeout_s=8)  # the endless response would take 20 s to time out
    assert reports["quick"].new == 1 and reports["quick"].errors == []
    assert reports["slow"].errors == ["other: the pass took longer than 8 s and was stopped"]
    assert tracker.state.health(dt.datetime(2025, 3, 5, tzinfo=dt.UTC))["slow"].consecutive_failures == 1


def test_retries_back_off(site: Site, tmp_path: Path, tagger: Tagger) -> None:
    site.routes["/feed.xml"] = Route(rss(site.url, "/news/1"), fail_first=2)
    site.routes["/news/1"] = Route(ARTICLE)
    tracker = Tracker(tmp_path / "data", tagger)
    reports = tracker.crawl(
        registry(tmp_path, {"id": "busy", "url": f"{site.url}/feed.xml"}), fetch_settings={"RADAR_RETRY_BACKOFF_S": 0.5}
    )
    assert reports["busy"].new == 1 and reports["busy"].errors == []
    assert site.requested("/feed.xml") == [503, 503, 200]
    first, second, third = site.times["/feed.xml"]
    assert second - first >= 0.5 and third - second >= 1.0  # 0.5 s, then doubled


def test_a_pass_that_cannot_run_says_so(
    site: Site, tmp_path: Path, tagger: Tagger, monkeypatch: pytest.MonkeyPatch
) -> None:
    import crawlers.crawl

    monkeypatch.setattr(crawlers.crawl.sys, "executable", "/bin/false")  # the crawl process dies at once
    tracker = Tracker(tmp_path / "data", tagger)
    with pytest.raises(PassError, match=r"the crawl process failed \(exit 1\)"):
        tracker.crawl(registry(tmp_path, {"id": "any", "url": f"{site.url}/feed.xml"}))
