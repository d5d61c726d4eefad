"""Alert latency under `radar up`: `make bench`.

Issue 6's target, measured and never asserted: an item ingested reaches an instant subscriber's
inbox within 60 s, end to end.

`radar up` runs as the tracker runs (its own process, the scheduler and the web page), over a
fresh data directory whose registry has one feed source on a fixture site on loopback, crawled
every minute (`interval_minutes: 1`); an SMTP server (aiosmtpd) on loopback is its relay, and
one instant email subscription follows the feed's country. Each round puts a new article in the
feed and waits for its email. Two figures per round:
- ingest to inbox: from the item's storage (its `first_fetched_at` in the store) to the SMTP
  server's receipt: the alerts' own latency, the target's figure;
- publication to inbox: from the article appearing in the feed: adds the wait for the next crawl
  (up to the interval and its jitter) and the crawl itself.
ROUNDS rounds after a first one that warms up; medians and the worst. Figures go to
bench/results/alert_latency.json.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from bench.measuring import ROOT, save_figures

if TYPE_CHECKING:
    from tests.alerts.receivers import SmtpServer

ROUNDS = 3
TARGET_S = 60
ROUND_DEADLINE_S = 300


def main() -> None:
    from sqlalchemy import select

    from bench.synthetic_items import ItemGenerator
    from index.store.models import items
    from index.store.sql_store import SqlStore
    from index.store.subscriptions import NewSubscription, Subscriptions
    from tests.alerts.receivers import SmtpServer
    from tests.crawlers.site import Route, Site

    site, smtp = Site(), SmtpServer()
    articles: list[str] = []

    def publish(number: int) -> None:
        path = f"/news/{number}"
        title = f"Malaysia opens a public consultation on online scam ads, round {number}"
        # Each round its own story: a near-copy of the last round's article would join its story
        # and, rightly, alert nobody.
        body = next(
            generated.text
            for generated in ItemGenerator(seed=31 + number).items(100)
            if generated.language == "en" and not generated.copy_of
        )
        text = (
            "The Malaysian Communications and Multimedia Commission (MCMC) opened a public consultation on "
            f"measures against online scams and fraudulent investment advertisements. {body}"
        )
        site.routes[path] = Route(
            f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{text}</p>"
            f"<p>Published {dt.date.today():%d %B %Y}.</p></article></body></html>".encode()
        )
        articles.append(path)
        entries = "".join(
            f"<item><title>{title} {p}</title><link>{site.url}{p}</link><pubDate>"
            f"{dt.datetime.now(dt.UTC):%a, %d %b %Y %H:%M:%S} GMT</pubDate></item>"
            for p in articles
        )
        site.routes["/feed.xml"] = Route(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>MCMC</title><link>{site.url}/</link>'
            f"{entries}</channel></rss>".encode(),
            "application/rss+xml",
        )

    rounds: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="radar-latency-") as work:
        data_dir = Path(work) / "data"
        registry = Path(work) / "sources.yaml"
        registry.write_text(
            yaml.safe_dump(
                {
                    "sources": [
                        {
                            **{"id": "my-mcmc", "name": "MCMC", "kind": "regulator", "jurisdiction": "MY"},
                            **{"language": "en", "family": "feed", "url": f"{site.url}/feed.xml"},
                            "interval_minutes": 1,
                        }
                    ]
                }
            ),
            encoding="utf-8",
        )
        store = SqlStore.open(None, data_dir)
        Subscriptions(store.engine).add(
            NewSubscription(
                name="MY scams", jurisdictions=("MY",), channels=("email:lead@example.org",), cadence="instant"
            ),
            None,
            dt.datetime.now(dt.UTC),
        )
        env = {
            **os.environ,
            "RADAR_DATA_DIR": str(data_dir),
            "RADAR_SOURCES_FILE": str(registry),
            "RADAR_SMTP_HOST": smtp.host,
            "RADAR_SMTP_PORT": str(smtp.port),
            "RADAR_CRAWL_ALLOW_PRIVATE": "1",
        }
        port = _free_port()
        log = open(Path(work) / "radar-up.log", "wb")  # noqa: SIM115 (closed below, after the process)
        up = subprocess.Popen(
            [sys.executable, "-m", "radar.cli", "up", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        try:
            for number in range(ROUNDS + 1):
                published = time.time()
                publish(number)
                arrived = _wait_for_mail(smtp, number + 1, up)
                with store.engine.connect() as conn:
                    stored = conn.execute(
                        select(items.c.first_fetched_at).where(items.c.url.like(f"%/news/{number}"))
                    ).scalar_one()
                figures = {"ingest_to_inbox_s": arrived - stored.timestamp(), "publish_to_inbox_s": arrived - published}
                print(
                    f"round {number}{' (warm-up)' if number == 0 else ''}: "
                    + ", ".join(f"{name} {value:.1f}" for name, value in figures.items())
                )
                if number:
                    rounds.append(figures)
        finally:
            up.send_signal(signal.SIGTERM)
            try:
                up.wait(120)
            except subprocess.TimeoutExpired:
                up.kill()
            log.close()
            store.close()
            site.close()
            smtp.close()
    result = {
        "rounds": ROUNDS,
        "ingest_to_inbox_median_s": round(statistics.median(r["ingest_to_inbox_s"] for r in rounds), 2),
        "ingest_to_inbox_max_s": round(max(r["ingest_to_inbox_s"] for r in rounds), 2),
        "publish_to_inbox_median_s": round(statistics.median(r["publish_to_inbox_s"] for r in rounds), 2),
        "publish_to_inbox_max_s": round(max(r["publish_to_inbox_s"] for r in rounds), 2),
        "target_s": TARGET_S,
    }
    save_figures("alert_latency", result)
    print(
        f"alert latency under radar up: ingest to inbox median {result['ingest_to_inbox_median_s']} s, "
        f"worst {result['ingest_to_inbox_max_s']} s (target {TARGET_S} s); publication to inbox median "
        f"{result['publish_to_inbox_median_s']} s, worst {result['publish_to_inbox_max_s']} s "
        f"(crawled every minute; {ROUNDS} rounds)"
    )


def _wait_for_mail(smtp: SmtpServer, count: int, up: subprocess.Popen[bytes]) -> float:
    """When the `count`th message arrived (epoch seconds); stops the bench if `radar up` stops
    or the message never comes."""
    deadline = time.monotonic() + ROUND_DEADLINE_S
    while time.monotonic() < deadline:
        try:
            smtp.wait_for(count, timeout=1.0)  # returns as soon as it is in
        except AssertionError:
            if up.poll() is not None:
                raise SystemExit(f"radar up stopped (exit {up.returncode}) before the alert arrived") from None
            continue
        return time.time()
    raise SystemExit(f"no alert within {ROUND_DEADLINE_S} s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


if __name__ == "__main__":
    main()
