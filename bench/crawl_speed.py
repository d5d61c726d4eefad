"""Crawl speed and memory: `make bench` (after the index figures).

Issue 4's targets, against the tests' fixture site served on loopback in this process:
1. one pass over 1,000 feed sources, most unchanged (a conditional request each, answered
   304; 5% have a new entry whose article is fetched, extracted, tagged and ingested), in at
   most 60 s;
2. at least 50 changed HTML article pages a second through extraction, tagging and ingest (a
   pass over 100 feeds with 5 new entries each, so the time is the articles', not the polling
   of unchanged feeds: that is figure 1);
3. a crawl pass within 500 MB resident memory (the crawl process; the ingesting process is
   reported beside it).
Each pass runs as `radar crawl` runs it (a child process for Scrapy, then ingest here, the
tagger in this process). Figures are medians over RUNS passes; RADAR_BENCH_FEEDS sets the
number of feeds (default 1,000). The figures also go to bench/results/crawl_speed.json.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from bench.measuring import MemorySampler, save_figures
from bench.synthetic_items import ItemGenerator

FEEDS = 1000
CHANGED_SHARE = 0.05
ARTICLE_FEEDS, ARTICLES_PER_FEED = 100, 5
RUNS = 3
PASS_TARGET_S, ARTICLES_TARGET, MEMORY_TARGET_MB = 60, 50, 500


def main() -> None:
    os.environ["RADAR_CRAWL_ALLOW_PRIVATE"] = "1"  # the fixture site is on loopback
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from crawlers.crawl import crawl_pass
    from crawlers.registry import load_registry
    from crawlers.state import CrawlState
    from index.ingest import Ingester
    from index.search.tantivy_engine import TantivyEngine
    from index.store.sql_store import SqlStore
    from nlp.tagger import Tagger
    from tests.crawlers.site import Route, Site

    feeds = int(os.environ.get("RADAR_BENCH_FEEDS") or FEEDS)
    site = Site()
    texts = ItemGenerator(seed=21)
    entries: dict[int, list[str]] = {number: [] for number in range(feeds)}
    rng = random.Random(3)

    def add_entry(number: int) -> None:
        path = f"/a/{number}-{len(entries[number])}"
        entries[number].append(path)
        generated = texts.item(number * 100 + len(entries[number]))
        paragraphs = "".join(f"<p>{part}.</p>" for part in generated.text.split(". "))
        site.routes[path] = Route(
            f"<html><head><title>{generated.title}</title></head><body><nav>Home</nav>"
            f"<article><h1>{generated.title}</h1>{paragraphs}</article></body></html>".encode()
        )
        items = "".join(
            f"<item><title>Entry {entry}</title><link>{site.url}{entry}</link></item>"
            for entry in entries[number][-20:]
        )
        channel = f"<channel><title>Feed {number}</title>{items}</channel>"
        site.routes[f"/feed/{number}.xml"] = Route(
            f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode(), "application/rss+xml"
        )

    for number in range(feeds):
        add_entry(number)
    with tempfile.TemporaryDirectory(prefix="radar-crawl-bench-") as work:
        root = Path(work)
        registry = root / "sources.yaml"
        base = {"kind": "news", "jurisdiction": "SG", "language": "en", "family": "feed"}
        entries_yaml = [
            {**base, "id": f"bench-{number:04d}", "name": f"Feed {number}", "url": f"{site.url}/feed/{number}.xml"}
            for number in range(feeds)
        ]
        registry.write_text(yaml.safe_dump({"sources": entries_yaml}), encoding="utf-8")
        sources = load_registry(registry)
        store = SqlStore.open(None, root / "data")
        engine = TantivyEngine(root / "data" / "index")
        state, ingester = CrawlState(store.engine), Ingester(Tagger(), store, engine)

        def timed_pass(chosen: list[Any] = sources) -> dict[str, Any]:
            with MemorySampler() as memory:
                began = time.perf_counter()
                reports = crawl_pass(chosen, state, ingester)
                seconds = time.perf_counter() - began
            new = sum(report.new for report in reports)
            errors = sum(1 for report in reports if report.errors)
            return {"seconds": seconds, "new": new, "sources_with_errors": errors, **memory.figures()}

        prime = timed_pass()
        unchanged, articles = [], []
        for _ in range(RUNS):
            for number in rng.sample(range(feeds), max(1, int(feeds * CHANGED_SHARE))):
                add_entry(number)
            unchanged.append(timed_pass())
        for _ in range(RUNS):
            changed = rng.sample(range(feeds), min(feeds, ARTICLE_FEEDS))
            for number in changed:
                for _entry in range(ARTICLES_PER_FEED):
                    add_entry(number)
            # Only the changed feeds, as `radar crawl --source` would: the articles' own cost.
            articles.append(timed_pass([sources[number] for number in changed]))
        engine.close()
        store.close()
    site.close()
    figures = {
        "feeds": feeds,
        "prime": prime,
        "mostly_unchanged": unchanged,
        "articles": articles,
        "mostly_unchanged_s": statistics.median(run["seconds"] for run in unchanged),
        "articles_per_s": statistics.median(run["new"] / run["seconds"] for run in articles),
        "crawl_process_peak_mb": max(run["peak_largest_child_mb"] for run in [prime, *unchanged, *articles]),
        "ingest_process_peak_mb": max(run["peak_mb"] for run in [prime, *unchanged, *articles]),
    }
    print(
        f"crawl pass over {feeds:,} feed sources on loopback, {CHANGED_SHARE:.0%} changed (the rest answer 304): "
        f"{figures['mostly_unchanged_s']:.1f} s (median of {RUNS}; target <= {PASS_TARGET_S} s); "
        f"{statistics.median(run['new'] for run in unchanged):.0f} new articles a pass"
    )
    print(
        f"changed article pages through extraction, tagging and ingest: {figures['articles_per_s']:.0f} a second "
        f"(median of {RUNS} passes of {ARTICLE_FEEDS * ARTICLES_PER_FEED} new articles; target >= {ARTICLES_TARGET})"
    )
    print(
        f"crawl process peak resident memory: {figures['crawl_process_peak_mb']:.0f} MB "
        f"(target <= {MEMORY_TARGET_MB} MB); the ingesting process (tagger, store, index): "
        f"{figures['ingest_process_peak_mb']:.0f} MB; first pass ({feeds:,} new articles): {prime['seconds']:.0f} s"
    )
    save_figures("crawl_speed", figures)


if __name__ == "__main__":
    main()
