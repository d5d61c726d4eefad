"""A crawl pass killed half-way, in its crawl process or while it ingests: the next pass stores
everything the killed one missed, and nothing twice.

The trap both tests guard against: a source page's validators (ETag, Last-Modified, hash) are
known before the articles it links to are fetched or stored; kept from a killed pass, they would
make the next pass find the page unchanged and never come back for the missing articles."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from index.store.models import item_versions
from index.store.sql_store import SqlStore
from nlp.tagger import Tagger
from tests.crawlers.site import Route, Site
from tests.crawlers.test_crawl import ARTICLE, Tracker, registry, rss
from tests.index.conftest import article
from tests.index.test_ingest import children, stored_count, wait_until

ROOT = Path(__file__).resolve().parents[2]


def crawl_processes() -> list[int]:
    """This test process's crawl children (`python -m crawlers.process`)."""
    found = []
    for pid in children(os.getpid()):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:
            continue
        if b"crawlers.process" in command:
            found.append(pid)
    return found


def one_version_each(store: SqlStore) -> bool:
    with store.engine.connect() as conn:
        query = select(func.count()).select_from(item_versions).group_by(item_versions.c.item_id)
        return set(conn.execute(query).scalars()) == {1}


def test_a_crawl_process_killed_mid_pass_is_made_up_by_the_next_pass(
    site: Site, tmp_path: Path, tagger: Tagger, caplog: pytest.LogCaptureFixture
) -> None:
    site.routes["/feed.xml"] = Route(rss(site.url, "/news/1", "/news/2", "/news/3"), "application/rss+xml")
    site.routes["/news/1"] = Route(ARTICLE)
    site.routes["/news/2"] = Route(ARTICLE.replace(b"scam ads", b"scam calls"))
    site.routes["/news/3"] = Route(b"<html><body><article><p>Still coming", endless=True)  # never finishes
    sources = registry(tmp_path, {"id": "sg-reg", "url": f"{site.url}/feed.xml"})
    tracker = Tracker(tmp_path / "data", tagger)

    with ThreadPoolExecutor(1) as pool:
        crawling = pool.submit(tracker.crawl, sources)
        # Once the third article is asked for, the feed's validators are long written.
        assert wait_until(lambda: bool(site.requested("/news/3")) or crawling.done(), 60)
        [child] = crawl_processes()
        os.kill(child, signal.SIGKILL)
        first = crawling.result(timeout=120)["sg-reg"]
    assert "the crawl process stopped early (exit -9)" in caplog.text
    assert "the next pass fetches every source in full" in caplog.text
    assert first.errors == []  # the source itself answered: its health is not blamed for the kill
    before = {item.url for item in tracker.store.iter_items()}
    assert f"{site.url}/news/3" not in before

    site.routes["/news/3"] = Route(ARTICLE.replace(b"scam ads", b"deepfake ads"))
    second = tracker.crawl(sources)["sg-reg"]
    assert second.errors == [] and second.new == 3 - len(before)
    assert {item.url for item in tracker.store.iter_items()} == {f"{site.url}/news/{n}" for n in (1, 2, 3)}
    assert one_version_each(tracker.store)
    assert site.requested("/feed.xml") == [200, 200]  # the killed pass's validators were not kept
    for stored in before:  # what the killed pass stored is not fetched again
        assert len(site.requested(stored.removeprefix(site.url))) == 1


def news_feed(base: str, source: int, entries: int) -> bytes:
    """A news-search feed: its entries are kept as the feed gives them, with no article to fetch."""
    items = "".join(
        f"<item><title>Scam notice {source}-{n}</title><link>{base}/s{source}/{n}</link>"
        f"<description>{article(source * 1000 + n, 150)}</description>"
        f"<pubDate>Tue, 04 Mar 2025 10:00:00 +0800</pubDate></item>"
        for n in range(entries)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}</channel></rss>'.encode()


def test_radar_crawl_killed_while_it_ingests_is_completed_by_the_next_crawl(site: Site, tmp_path: Path) -> None:
    feeds, entries = 6, 500
    for source in range(feeds):
        site.routes[f"/news{source}.xml"] = Route(news_feed(site.url, source, entries), "application/rss+xml")
    sources = registry(
        tmp_path,
        *({"id": f"news-{n}", "url": f"{site.url}/news{n}.xml", "family": "search_feed"} for n in range(feeds)),
    )
    env = {**os.environ, "RADAR_DATA_DIR": str(tmp_path / "data")}
    env.pop("RADAR_DATABASE_URL", None)
    env.pop("RADAR_ELASTICSEARCH_URL", None)
    database, total = tmp_path / "data" / "store.sqlite3", feeds * entries
    command = [sys.executable, "-m", "radar.cli", "crawl", "--sources", str(sources)]

    run = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert wait_until(lambda: stored_count(database) > 0 or run.poll() is not None, 120)
        assert run.poll() is None, "the crawl finished before it could be interrupted"
        run.send_signal(signal.SIGKILL)
    finally:
        run.wait(timeout=60)
    assert 0 < stored_count(database) < total
    assert all(status == [200] for status in (site.requested(f"/news{n}.xml") for n in range(feeds)))

    again = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, timeout=600)
    assert again.returncode == 0, again.stderr.decode()
    assert all(status == [200, 200] for status in (site.requested(f"/news{n}.xml") for n in range(feeds)))
    store = SqlStore.open(None, tmp_path / "data")
    assert store.count() == total and one_version_each(store)
    store.close()
    check = subprocess.run([sys.executable, "-m", "radar.cli", "check"], env=env, cwd=ROOT, capture_output=True)
    assert check.returncode == 0, check.stdout.decode()
    third = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, timeout=600)
    assert [row.split()[2] for row in third.stdout.decode().splitlines()[1:]] == ["0"] * feeds  # the new column
    assert all(status == [200, 200, 304] for status in (site.requested(f"/news{n}.xml") for n in range(feeds)))


def test_radar_crawl_with_the_index_down_stores_what_it_found_and_says_it_waits(site: Site, tmp_path: Path) -> None:
    site.routes["/feed.xml"] = Route(rss(site.url, "/news/1"), "application/rss+xml")
    site.routes["/news/1"] = Route(ARTICLE)
    sources = registry(tmp_path, {"id": "sg-reg", "url": f"{site.url}/feed.xml"})
    with socket.socket() as probe:  # a loopback port nothing listens on: Elasticsearch is down
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "RADAR_DATA_DIR": str(tmp_path / "data"),
        "RADAR_ELASTICSEARCH_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("RADAR_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "radar.cli", "crawl", "--sources", str(sources)], env=env, cwd=ROOT, capture_output=True
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().splitlines()[1].split()[:3] == ["sg-reg", "2", "1"]
    last = done.stderr.decode().splitlines()[-1]
    assert last.startswith("warning: 1 item stored but waiting for the index (Elasticsearch cannot be reached")
